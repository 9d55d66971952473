using System.CommandLine;
using System.Text;
using IdpBridge.Core.Ledger.Proof;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Ledger;

/// <summary><c>idpbridge ledger proof</c>: the signed proof that one user accepted one version, as JSON or as a page.</summary>
internal static class LedgerProofCommand
{
    /// <summary>The longest user given (Keycloak's usernames and ids are at most 255 characters).</summary>
    public const int MaxUserLength = 255;

    public static Command Build(CliContext context)
    {
        var realm = new Option<string>("--realm") { Description = "the Keycloak realm", Required = true };
        var user = new Option<string>("--user") { Description = "the user: Keycloak id or username", Required = true };
        user.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && (value.Length is 0 or > MaxUserLength || value.Any(char.IsControl)))
            {
                result.AddError($"--user must be a user id or username of 1 to {MaxUserLength} characters without control characters.");
            }
        });
        var version = new Option<int?>("--version") { Description = "the version to prove (default: the latest material version in force the user accepted)" }
            .Between(1, int.MaxValue, " (a version number)");
        var output = new Option<string>("--output")
        {
            Description = "json (default: the signed proof) or html (a page that prints, the signed proof embedded)",
            DefaultValueFactory = _ => "json",
        };
        output.AcceptOnlyFromAmong("json", "html");
        var file = new Option<FileInfo?>("--file", "-o") { Description = "write here (created readable by you only) instead of standard output" };
        var services = new CliServices();
        var command = new Command("proof", """
            The signed proof that one user accepted (or acknowledged) one version of the terms policy: who, the version
            with its exact text per locale and hashes, when and how IdpBridge learned it, from which client and address,
            and the record's place in the realm's hash chain (checked intact first), signed with ECDSA P-256 by the key
            of IdpBridge__Proof__SigningKeyPath. Anyone can check it with the public key alone: idpbridge ledger verify-proof.
            A user who declined the version, or has no record of it, gets a refusal (exit 1), not a proof.
            Holds personal data: admins only.
            Example: idpbridge ledger proof --realm externos --user maria.lopez --output html -o proof.html
            """)
        {
            realm, user, version, output, file,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => services.RunWithStoreAsync(context, parseResult, json: false, async provider =>
        {
            var realmName = parseResult.GetValue(realm)!;
            await KnownRealm.RequireAsync(provider, realmName, cancellationToken).ConfigureAwait(false);
            var issue = await provider.GetRequiredService<AcceptanceProofIssuer>()
                .IssueAsync(realmName, parseResult.GetValue(user)!, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            var text = parseResult.GetValue(output) == "html" ? AcceptanceProofPage.Render(issue.Signed) : ProofJson.File(issue.Signed);
            if (parseResult.GetValue(file) is { } target)
            {
                await WriteOwnerOnlyAsync(target, text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteAsync(text).ConfigureAwait(false);
            }

            var proof = issue.Signed.Proof;
            await context.Error.WriteLineAsync(
                $"Proof of {proof.Decision}: {proof.User.Username ?? proof.User.Id}, {proof.Version.Policy} {issue.Chosen}; record {proof.Record.Id}, " +
                $"signed by key {proof.KeyId}{(parseResult.GetValue(file) is { } written ? $", written to {written.FullName}" : "")}.").ConfigureAwait(false);
            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 to a new or replaced file, created mode 0600 (a proof names a person).</summary>
    private static async Task WriteOwnerOnlyAsync(FileInfo target, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(target.FullName, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(new UTF8Encoding(false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }
}
