using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Rollouts;

/// <summary><c>idpbridge rollout start | status | resume | cancel</c>.</summary>
internal static class RolloutCommands
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Build(CliContext context)
    {
        var rollout = new Command("rollout", """
            Ask every user of a realm to accept a materially changed policy at their next login: Keycloak's
            TERMS_AND_CONDITIONS required action is added to each user who has not accepted since the rollout started
            (their other required actions and attributes are kept), service accounts are skipped. The cursor and counts
            are stored in IdpBridge's database after each page: after Ctrl+C, a crash or kill -9, 'rollout resume'
            continues where it stopped and no user is written twice. The IdpBridge service starts the rollout of a new
            material version (2 and later) by itself when it takes effect; these commands do it by hand.
            """);
        rollout.Subcommands.Add(Start(context));
        rollout.Subcommands.Add(Resume(context));
        rollout.Subcommands.Add(Status(context));
        rollout.Subcommands.Add(Cancel(context));
        return rollout;
    }

    private static Command Start(CliContext context)
    {
        var options = new Common(withVersionHelp: "the material version (default: the latest material version in force)");
        var detach = new Option<bool>("--detach") { Description = "only record the rollout: the IdpBridge service runs it" };
        var command = new Command("start", """
            Start the rollout of a material policy version and run it here, with progress, until it completes.
            Checks first that TERMS_AND_CONDITIONS is enabled and a default action in the realm. Starting a version
            that already has a rollout continues that one.
            Exit codes: 0 completed (or recorded, with --detach), 1 error, 3 stopped before the end (resume continues).
            Example: idpbridge rollout start --realm externos --policy privacy --version 2 --max-in-flight 8
            """);
        options.AddTo(command, throttle: true);
        command.Options.Add(detach);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollouts = provider.GetRequiredService<RolloutService>();
            var (rollout, created) = await rollouts.StartAsync(
                options.Realm(parseResult), options.Policy(parseResult), parseResult.GetValue(options.Version), "cli", cancellationToken).ConfigureAwait(false);
            if (!options.Json(parseResult))
            {
                await context.Error.WriteLineAsync(created
                    ? $"Started the rollout of {Name(rollout)} ({rollout.UsersTotal:N0} users); a terms_and_conditions time at or after {Time(rollout.StartedAt)} counts as accepted."
                    : $"The rollout of {Name(rollout)} was started {Time(rollout.StartedAt)} by {rollout.StartedBy}; it is {RolloutService.Describe(rollout.Status)}.").ConfigureAwait(false);
            }

            return parseResult.GetValue(detach) || rollout.Status != RolloutStatus.Running
                ? await ReportAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null).ConfigureAwait(false)
                : await RunAsync(context, parseResult, options, provider, rollout, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Resume(CliContext context)
    {
        var options = new Common(withVersionHelp: "the version whose rollout to resume (default: the policy's latest rollout)");
        var command = new Command("resume", """
            Continue a rollout that stopped (Ctrl+C, a crash, kill -9, Keycloak failing) or was cancelled, from its
            stored cursor. Users already handled are not written again. When another executor (the service, another
            machine) holds the rollout, says who and until when.
            Exit codes: 0 completed, 1 error, 3 stopped before the end.
            Example: idpbridge rollout resume --realm externos
            """);
        options.AddTo(command, throttle: true);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            rollout = await provider.GetRequiredService<RolloutService>().PrepareResumeAsync(rollout, cancellationToken).ConfigureAwait(false);
            return await RunAsync(context, parseResult, options, provider, rollout, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Status(CliContext context)
    {
        var options = new Common(withVersionHelp: "the version whose rollout to show (default: the policy's latest rollout)");
        var command = new Command("status", """
            Show a rollout: status, phase, progress, counts, who runs it, and the users Keycloak refused (first 20).
            Example: idpbridge rollout status --realm externos --output json
            """);
        options.AddTo(command, throttle: false);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            return await ReportAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var options = new Common(withVersionHelp: "the version whose rollout to cancel (default: the policy's latest rollout)");
        var command = new Command("cancel", """
            Cancel a running rollout. Its executor (here, in the service or on another machine) finishes the requests
            in flight, records them and stops at its next page; users already marked keep the action. 'rollout resume'
            continues a cancelled rollout later.
            Example: idpbridge rollout cancel --realm externos --version 2
            """);
        options.AddTo(command, throttle: false);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            rollout = await provider.GetRequiredService<RolloutService>()
                .CancelAsync(rollout, $"Cancelled from the command line on {Environment.MachineName}.", cancellationToken).ConfigureAwait(false);
            if (!options.Json(parseResult))
            {
                await context.Error.WriteLineAsync(rollout.LeaseOwner is { } owner
                    ? $"Cancelled. Executor {owner} stops at its next page."
                    : "Cancelled.").ConfigureAwait(false);
            }

            return await ReportAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, ParseResult parseResult, Common options, ServiceProvider provider, Rollout rollout, CancellationToken cancellationToken)
    {
        var printer = new RolloutProgressPrinter(context.Error, context.IsInteractive && !options.Json(parseResult), provider.GetRequiredService<TimeProvider>());
        RolloutRun run;
        try
        {
            run = await provider.GetRequiredService<RolloutRunner>().RunAsync(rollout.Id, printer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            printer.Finish();
        }

        return await ReportAsync(context, provider, options.Json(parseResult), run.Rollout, run.End, run.Message).ConfigureAwait(false);
    }

    private static async Task<int> ReportAsync(
        CliContext context, ServiceProvider provider, bool json, Rollout rollout, RunEnd? end, string? message)
    {
        var failures = rollout.Counts.Failed == 0
            ? []
            : await provider.GetRequiredService<IRolloutStore>().ListFailuresAsync(rollout.Id, 20).ConfigureAwait(false);
        var code = end switch
        {
            null or RunEnd.Completed or RunEnd.NotRunning => IdpBridgeCommand.ExitCodes.Success,
            _ => IdpBridgeCommand.ExitCodes.Incomplete,
        };
        if (json)
        {
            var node = ToJson(rollout, failures);
            if (end is { } ended)
            {
                node["run"] = new JsonObject { ["end"] = JsonNamingPolicy.CamelCase.ConvertName(ended.ToString()), ["message"] = message };
            }

            await context.Output.WriteLineAsync(node.ToJsonString(Indented)).ConfigureAwait(false);
            return code;
        }

        var counts = rollout.Counts;
        var output = context.Output;
        await output.WriteLineAsync($"Rollout of {Name(rollout)}: {RolloutService.Describe(rollout.Status)}, phase {RolloutService.Describe(rollout.Phase)}.").ConfigureAwait(false);
        await output.WriteLineAsync($"  started    {Time(rollout.StartedAt)} by {rollout.StartedBy}{(rollout.FinishedAt is { } finished ? $", finished {Time(finished)}" : "")}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  users      {counts.Scanned:N0} handled of about {rollout.UsersTotal ?? counts.Scanned:N0}: {counts.Marked:N0} marked, {counts.AlreadyPending:N0} already pending, {counts.AlreadyAccepted:N0} already accepted, {counts.Skipped:N0} skipped, {counts.Failed:N0} failed")).ConfigureAwait(false);
        if (rollout.LeaseOwner is { } owner)
        {
            await output.WriteLineAsync($"  executor   {owner}, lease until {Time(rollout.LeaseUntil!.Value)}").ConfigureAwait(false);
        }

        if ((message ?? rollout.Message) is { } note)
        {
            await output.WriteLineAsync($"  note       {note}").ConfigureAwait(false);
        }

        foreach (var failure in failures)
        {
            await output.WriteLineAsync($"  failed     {failure.Username ?? failure.UserId} ({failure.UserId}): {failure.Reason}").ConfigureAwait(false);
        }

        if (counts.Failed > failures.Count)
        {
            await output.WriteLineAsync($"  ...and {counts.Failed - failures.Count:N0} more failures (--output json lists the first {failures.Count}).").ConfigureAwait(false);
        }

        var which = $"--realm {rollout.Realm} --policy {rollout.Policy} --version {rollout.VersionNumber}";
        if (end == RunEnd.Busy)
        {
            await context.Error.WriteLineAsync($"Another executor (the IdpBridge service, or another machine) is running this rollout. Follow it with: idpbridge rollout status {which}").ConfigureAwait(false);
        }
        else if (code == IdpBridgeCommand.ExitCodes.Incomplete)
        {
            await context.Error.WriteLineAsync($"The rollout is not finished. Continue it with: idpbridge rollout resume {which}").ConfigureAwait(false);
        }

        return code;
    }

    private static JsonObject ToJson(Rollout rollout, IReadOnlyList<UserResult> failures) => new()
    {
        ["id"] = rollout.Id,
        ["realm"] = rollout.Realm,
        ["policy"] = rollout.Policy,
        ["version"] = rollout.VersionNumber,
        ["contentHash"] = rollout.ContentHash,
        ["status"] = RolloutService.Describe(rollout.Status),
        ["phase"] = RolloutService.Describe(rollout.Phase),
        ["startedAt"] = rollout.StartedAt,
        ["startedBy"] = rollout.StartedBy,
        ["finishedAt"] = rollout.FinishedAt,
        ["updatedAt"] = rollout.UpdatedAt,
        ["usersTotal"] = rollout.UsersTotal,
        ["counts"] = new JsonObject
        {
            ["scanned"] = rollout.Counts.Scanned,
            ["marked"] = rollout.Counts.Marked,
            ["alreadyPending"] = rollout.Counts.AlreadyPending,
            ["alreadyAccepted"] = rollout.Counts.AlreadyAccepted,
            ["skipped"] = rollout.Counts.Skipped,
            ["failed"] = rollout.Counts.Failed,
        },
        ["leaseOwner"] = rollout.LeaseOwner,
        ["leaseUntil"] = rollout.LeaseUntil,
        ["message"] = rollout.Message,
        ["failures"] = new JsonArray([.. failures.Select(failure => (JsonNode?)new JsonObject
        {
            ["userId"] = failure.UserId,
            ["username"] = failure.Username,
            ["reason"] = failure.Reason,
        })]),
    };

    private static string Name(Rollout rollout) => $"{rollout.Realm}/{rollout.Policy} version {rollout.VersionNumber}";

    private static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The options every rollout command takes, and the way each runs.</summary>
    private sealed class Common
    {
        private readonly Option<string> realm = new("--realm") { Description = "the Keycloak realm", Required = true };
        private readonly Option<string> policy = new("--policy") { Description = "the policy's name", DefaultValueFactory = _ => "privacy" };
        private readonly Option<string> output = new("--output") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        private readonly Option<int?> maxInFlight = new("--max-in-flight")
        {
            Description = "at most this many Keycloak requests at once (overrides IdpBridge__Keycloak__MaxInFlight; default 8)",
        };

        private readonly Option<double?> maxRate = new("--max-rps")
        {
            Description = "at most this many Keycloak requests started per second (overrides IdpBridge__Keycloak__MaxRequestsPerSecond; default no limit)",
        };

        private readonly CliServices services = new();

        public Common(string withVersionHelp)
        {
            output.AcceptOnlyFromAmong("text", "json");
            Version = new Option<int?>("--version") { Description = withVersionHelp };
        }

        public Option<int?> Version { get; }

        public void AddTo(Command command, bool throttle)
        {
            command.Options.Add(realm);
            command.Options.Add(policy);
            command.Options.Add(Version);
            if (throttle)
            {
                command.Options.Add(maxInFlight);
                command.Options.Add(maxRate);
            }

            command.Options.Add(output);
            services.AddTo(command);
        }

        public string Realm(ParseResult parseResult) => parseResult.GetValue(realm)!;

        public string Policy(ParseResult parseResult) => parseResult.GetValue(policy)!;

        public bool Json(ParseResult parseResult) => parseResult.GetValue(output) == "json";

        public async Task<Rollout> FindAsync(ServiceProvider provider, ParseResult parseResult, CancellationToken cancellationToken) =>
            await provider.GetRequiredService<RolloutService>()
                .FindAsync(Realm(parseResult), Policy(parseResult), parseResult.GetValue(Version), cancellationToken).ConfigureAwait(false)
            ?? throw new RolloutException(parseResult.GetValue(Version) is { } number
                ? $"Version {number} of '{Policy(parseResult)}' in realm '{Realm(parseResult)}' has no rollout. Start one: idpbridge rollout start --realm {Realm(parseResult)} --version {number}"
                : $"Policy '{Policy(parseResult)}' of realm '{Realm(parseResult)}' has no rollout yet. Start one: idpbridge rollout start --realm {Realm(parseResult)}");

        public Task<int> RunAsync(CliContext context, ParseResult parseResult, Func<ServiceProvider, Task<int>> run) =>
            services.RunWithStoreAsync(context, parseResult, Json(parseResult), run, keycloak =>
            {
                if (parseResult.GetValue(maxInFlight) is { } inFlight)
                {
                    keycloak.MaxInFlight = inFlight;
                }

                if (parseResult.GetValue(maxRate) is { } rate)
                {
                    keycloak.MaxRequestsPerSecond = rate;
                }
            });
    }
}
