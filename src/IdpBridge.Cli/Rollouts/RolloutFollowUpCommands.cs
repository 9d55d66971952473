using System.CommandLine;
using System.Globalization;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Rollouts;

/// <summary><c>idpbridge rollout users | retry | exempt</c>: what an administrator does about the users a rollout could not mark, or must not.</summary>
internal static class RolloutFollowUpCommands
{

    public static Command Users(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose rollout to list (default: the policy's latest rollout)");
        var outcome = new Option<string>("--outcome")
        {
            Description = "failed (default: users Keycloak refused or who vanished), remarked (users whose action the closing sweep put back) or exempted",
            DefaultValueFactory = _ => "failed",
        };
        outcome.AcceptOnlyFromAmong("failed", "remarked", "exempted");
        var format = new Option<string>("--format") { Description = "text (default), csv or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv", "json");
        var file = new Option<FileInfo?>("--file") { Description = "write here instead of standard output" };
        var noBom = new Option<bool>("--no-bom") { Description = "CSV without the UTF-8 byte-order mark (for tools that do not expect it; Excel needs it)" };
        var delimiter = new Option<string>("--delimiter")
        {
            Description = "CSV separator: , (default) or ; (spreadsheets in locales with a decimal comma)",
            DefaultValueFactory = _ => ",",
        };
        delimiter.AcceptOnlyFromAmong(",", ";");
        var command = new Command("users", $"""
            List a rollout's users of one kind, every one of them: by default those Keycloak refused, with its reasons
            (the attribute and message its user profile refused, e.g. lastName error-person-name-invalid-character, and
            what to fix). CSV has one row per refused attribute, columns: {string.Join(", ", RolloutUserExport.Columns.Select(column => column.Name))};
            JSON one object per user. Holds personal data (usernames, the refused values): admins only.
            Example: idpbridge rollout users --realm externos --version 2 --format csv --file refused.csv
            """)
        {
            outcome, format, file, noBom, delimiter,
        };
        options.AddTo(command, throttle: false, withOutput: false);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            var kind = Enum.Parse<RolloutUserKind>(parseResult.GetValue(outcome)!, ignoreCase: true);
            var users = RolloutUserExport.ReadAllAsync(provider.GetRequiredService<IRolloutStore>(), rollout.Id, kind, cancellationToken);
            var csv = new CsvSettings { ByteOrderMark = !parseResult.GetValue(noBom), Delimiter = parseResult.GetValue(delimiter)![0] };
            var count = parseResult.GetValue(format) switch
            {
                "csv" => await ExportOutput.WriteAsync(
                    context, parseResult.GetValue(file), stream => RolloutUserExport.WriteCsvAsync(users, stream, csv, cancellationToken), cancellationToken)
                    .ConfigureAwait(false),
                "json" => await ExportOutput.WriteAsync(
                    context, parseResult.GetValue(file), stream => RolloutUserExport.WriteJsonAsync(users, stream, cancellationToken), cancellationToken)
                    .ConfigureAwait(false),
                _ => await WriteTextAsync(context, parseResult.GetValue(file), users, cancellationToken).ConfigureAwait(false),
            };
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{count:N0} {parseResult.GetValue(outcome)} users in the rollout of {RolloutReport.Name(rollout)}.")).ConfigureAwait(false);
            if (kind == RolloutUserKind.Failed && count > 0)
            {
                await context.Error.WriteLineAsync(
                    $"Once their data is fixed in Keycloak's admin console, run: idpbridge rollout retry {RolloutReport.Which(rollout)}").ConfigureAwait(false);
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    public static Command Retry(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose refused users to retry (default: the policy's latest rollout)");
        var command = new Command("retry", """
            Try again every user the rollout could not mark, after an administrator fixed their data in Keycloak (the
            reasons are in 'rollout status' and 'rollout users'). Each is read afresh and marked as the rollout would:
            only requiredActions is sent; a user who accepted meanwhile or carries the action already is left as is.
            Works on a running, cancelled or completed rollout. Users Keycloak still refuses stay listed with its latest
            reason.
            Exit codes: 0 every refused user was tried (some may be refused again: see the output), 1 error,
            3 Keycloak failed midway (run it again: those already retried are recorded).
            Example: idpbridge rollout retry --realm externos --version 2
            """);
        options.AddTo(command, throttle: true);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            var json = options.Json(parseResult);
            if (rollout.Counts.Failed == 0 && !json)
            {
                await context.Error.WriteLineAsync($"The rollout of {RolloutReport.Name(rollout)} has no refused users: nothing to retry.").ConfigureAwait(false);
            }

            var result = await provider.GetRequiredService<RolloutRetry>().RetryAsync(rollout, cancellationToken: cancellationToken).ConfigureAwait(false);
            var code = result.Stopped is null ? IdpBridgeCommand.ExitCodes.Success : IdpBridgeCommand.ExitCodes.Incomplete;
            if (json)
            {
                var after = await RolloutStatusReport.ReadAsync(provider.GetRequiredService<IRolloutStore>(), result.Rollout, shown: null, cancellationToken)
                    .ConfigureAwait(false);
                await context.Output.WriteLineAsync(CliJson.Serialize(RolloutRetryReport.From(result, after))).ConfigureAwait(false);
                return code;
            }

            if (result.Retried > 0)
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Retried {result.Retried:N0} refused users of {RolloutReport.Name(rollout)}: {result.Marked:N0} marked, " +
                    $"{result.Settled:N0} needed nothing more (accepted meanwhile or carry the action), {result.StillFailed:N0} refused again."))
                    .ConfigureAwait(false);
            }

            if (result.Stopped is { } why)
            {
                await context.Error.WriteLineAsync(
                    $"Stopped: {why}. Run the retry again once Keycloak answers: idpbridge rollout retry {RolloutReport.Which(rollout)}").ConfigureAwait(false);
                return code;
            }

            return result.StillFailed > 0
                ? await RolloutReport.WriteAsync(context, provider, json: false, result.Rollout, end: null, message: null, full: true).ConfigureAwait(false)
                : code;
        }));
        return command;
    }

    public static Command Exempt(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose rollout to exempt the user from (default: the policy's latest rollout)");
        var user = new Option<string>("--user") { Description = "the user: Keycloak's user id or the username", Required = true };
        var reason = new Option<string>("--reason") { Description = "why, for the record (shown by 'rollout status' and 'rollout users')", Required = true };
        var command = new Command("exempt", """
            Exempt one user from a rollout: recorded in the rollout (who, when, why), so that its walk, its closing
            sweep and retries leave the user alone, and the TERMS_AND_CONDITIONS this rollout added is removed from
            them (one they carried before is left). Exempt users this way, not by removing the action in Keycloak's
            admin console: the closing sweep puts back an action that vanished from a user the rollout marked.
            Example: idpbridge rollout exempt --realm externos --version 2 --user monitor@example.org --reason "monitoring robot"
            """)
        {
            user, reason,
        };
        options.AddTo(command, throttle: false);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            var by = $"cli ({Environment.UserName}@{Environment.MachineName})";
            var result = await provider.GetRequiredService<RolloutExemptions>()
                .ExemptAsync(rollout, parseResult.GetValue(user)!, parseResult.GetValue(reason)!, by, cancellationToken).ConfigureAwait(false);
            var message = ExemptionText.Describe(result);
            await context.Output.WriteLineAsync(options.Json(parseResult)
                ? CliJson.Serialize(RolloutExemptionReport.From(result, message))
                : message).ConfigureAwait(false);

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<long> WriteTextAsync(CliContext context, FileInfo? file, IAsyncEnumerable<RolloutUser> users, CancellationToken cancellationToken)
    {
        var writer = file is null ? context.Output : new StreamWriter(file.FullName);
        try
        {
            long count = 0;
            await foreach (var user in users.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                count++;
                var fix = RolloutUserExport.ToFix(user) is { } what ? $" (fix {what})" : "";
                await writer.WriteLineAsync($"{user.Username ?? "?"}  {user.UserId}  {RolloutUserExport.Describe(user.Outcome)}  {user.Reason}{fix}").ConfigureAwait(false);
            }

            return count;
        }
        finally
        {
            if (file is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
