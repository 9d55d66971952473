using System.CommandLine;
using IdpBridge.Core.Ledger.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Ledger;

/// <summary><c>idpbridge ledger verify</c>: proves the realm's record and published versions intact, or names what changed.</summary>
internal static class LedgerVerifyCommand
{
    /// <summary>The exit code when tampering was found (0: intact; 1: the check could not run).</summary>
    public const int TamperingFound = 2;

    public static Command Build(CliContext context)
    {
        var realm = new Option<string>("--realm") { Description = "the Keycloak realm", Required = true };
        var output = new Option<string>("--output") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var services = new CliServices();
        var command = new Command("verify", """
            Check the realm's acceptance record and published policy versions from the database alone, as if someone had
            turned its guards off: recompute each record's hash and the realm's hash chain (in the database's id order,
            from the anchor the last retention prune kept), each version text's SHA-256 and each version's content hash.
            Reports every altered record or version by id. Prints the chain's head: keep it elsewhere to prove later that
            nothing before it changed. Exit codes: 0 intact, 2 tampering found, 1 the check could not run.
            Example: idpbridge ledger verify --realm externos
            """)
        {
            realm, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(output) == "json";
            return services.RunWithStoreAsync(context, parseResult, json, async provider =>
            {
                var result = await provider.GetRequiredService<LedgerVerifier>().VerifyAsync(parseResult.GetValue(realm)!, cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    await context.Output.WriteLineAsync(CliJson.Serialize(result)).ConfigureAwait(false);
                }
                else
                {
                    await WriteTextAsync(context, result).ConfigureAwait(false);
                }

                return result.Intact ? IdpBridgeCommand.ExitCodes.Success : TamperingFound;
            });
        });
        return command;
    }

    private static async Task WriteTextAsync(CliContext context, LedgerVerification result)
    {
        foreach (var tampering in result.Tampering)
        {
            await context.Output.WriteLineAsync($"TAMPERED {tampering.Kind} {tampering.Id}: {tampering.Problem}").ConfigureAwait(false);
        }

        var legacy = result.LegacyRecords > 0 ? $", {result.LegacyRecords} older records without a chain (written before schema 7)" : "";
        var pruned = result.PrunedThroughId is { } through ? $", pruned through id {through}" : "";
        await context.Output.WriteLineAsync(
            $"{(result.Intact ? "Intact" : $"{result.Tampering.Count} problems")}: realm {result.Realm}, {result.Records} records chained{legacy}{pruned}, " +
            $"{result.Versions} policy versions.").ConfigureAwait(false);
        await context.Output.WriteLineAsync(
            $"Head: {result.HeadChainHash}{(result.HeadId is { } id ? $" (record {id})" : " (no chained record)")}").ConfigureAwait(false);
    }
}
