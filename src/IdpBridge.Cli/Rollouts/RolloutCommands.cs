using System.CommandLine;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Rollouts;

/// <summary><c>idpbridge rollout start | status | resume | cancel | users | retry | exempt</c>.</summary>
internal static class RolloutCommands
{
    public static Command Build(CliContext context)
    {
        var rollout = new Command("rollout", """
            Ask every user of a realm to accept a materially changed policy at their next login: Keycloak's
            TERMS_AND_CONDITIONS required action is added to each user who has not accepted since the rollout started
            (their other required actions and attributes are kept), service accounts are skipped. The cursor and counts
            are stored in IdpBridge's database after each page: after Ctrl+C, a crash or kill -9, 'rollout resume'
            continues where it stopped and no user is written twice. The IdpBridge service starts the rollout of a new
            material version (2 and later) by itself when it takes effect; these commands do it by hand.
            Users Keycloak refuses (stored data its user profile no longer accepts) are listed by 'rollout status' and
            'rollout users', and tried again by 'rollout retry' once fixed. To exempt a user, use 'rollout exempt': an
            action removed in the admin console is put back by the closing sweep.
            """);
        rollout.Subcommands.Add(Start(context));
        rollout.Subcommands.Add(Resume(context));
        rollout.Subcommands.Add(Status(context));
        rollout.Subcommands.Add(Cancel(context));
        rollout.Subcommands.Add(RolloutFollowUpCommands.Users(context));
        rollout.Subcommands.Add(RolloutFollowUpCommands.Retry(context));
        rollout.Subcommands.Add(RolloutFollowUpCommands.Exempt(context));
        return rollout;
    }

    private static Command Start(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the material version (default: the latest material version in force)");
        var detach = new Option<bool>("--detach") { Description = "only record the rollout: the IdpBridge service runs it" };
        var yes = new Option<bool>("--yes", "-y")
        {
            Description = "start without asking (required when no one is at the terminal, e.g. in CI); nothing is asked in a bridge realm or for a version whose rollout exists",
        };
        var command = new Command("start", """
            Start the rollout of a material policy version and run it here, with progress, until it completes.
            Checks first that TERMS_AND_CONDITIONS is enabled and a default action in the realm. Starting a version
            that already has a rollout continues that one. In a realm that uses IdpBridge's required-action bridge
            (idpbridge-terms registered and enabled), writes no user: makes sure the realm's attributes are current
            and says so; the bridge asks each user at their next login.
            Before a new rollout marks users, says how many and which version and asks y/N; --yes skips the question,
            and without a terminal (standard input or output redirected, as in CI) --yes is required (else exit 64).
            Exit codes: 0 completed (or recorded, with --detach), 1 error or answered no, 3 stopped before the end
            (resume continues), 64 usage error (no terminal and no --yes).
            Example: idpbridge rollout start --realm externos --policy privacy --version 2 --max-in-flight 8 --yes
            """);
        options.AddTo(command, throttle: true);
        command.Options.Add(detach);
        command.Options.Add(yes);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollouts = provider.GetRequiredService<RolloutService>();
            if (!parseResult.GetValue(yes))
            {
                var preview = await rollouts.PreviewStartAsync(
                    options.Realm(parseResult), options.Policy(parseResult), parseResult.GetValue(options.Version), cancellationToken).ConfigureAwait(false);
                if (await RolloutConfirmation.AskAsync(context, preview, cancellationToken).ConfigureAwait(false) is { } refused)
                {
                    return refused;
                }
            }

            var outcome = await rollouts.StartOrDeliverAsync(
                options.Realm(parseResult), options.Policy(parseResult), parseResult.GetValue(options.Version), "cli", cancellationToken).ConfigureAwait(false);
            if (outcome.Bridge is { } bridge)
            {
                return await BridgeDeliveryPrinter.WriteAsync(context, options.Json(parseResult), bridge).ConfigureAwait(false);
            }

            var (rollout, created) = (outcome.Rollout!, outcome.Created);
            if (!options.Json(parseResult))
            {
                await context.Error.WriteLineAsync(created
                    ? $"Started the rollout of {RolloutReport.Name(rollout)} ({rollout.UsersTotal:N0} users); " +
                      $"a terms_and_conditions time at or after {RolloutReport.Time(rollout.StartedAt)} counts as accepted."
                    : $"The rollout of {RolloutReport.Name(rollout)} was started {RolloutReport.Time(rollout.StartedAt)} by {rollout.StartedBy}; " +
                      $"it is {RolloutService.Describe(rollout.Status)}.").ConfigureAwait(false);
            }

            return parseResult.GetValue(detach) || rollout.Status != RolloutStatus.Running
                ? await RolloutReport.WriteAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null, full: false).ConfigureAwait(false)
                : await RunAsync(context, parseResult, options, provider, rollout, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Resume(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose rollout to resume (default: the policy's latest rollout)");
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
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose rollout to show (default: the policy's latest rollout)");
        var command = new Command("status", """
            Show a rollout: status, phase, counts, who runs it, and every user it could not mark (username, id, and
            Keycloak's reason: the field and message its user profile refused), every user whose action the closing
            sweep put back, and every exempted user. Says what to do about the refused ones.
            Example: idpbridge rollout status --realm externos --output json
            """);
        options.AddTo(command, throttle: false);
        command.SetAction((parseResult, cancellationToken) => options.RunAsync(context, parseResult, async provider =>
        {
            var rollout = await options.FindAsync(provider, parseResult, cancellationToken).ConfigureAwait(false);
            return await RolloutReport.WriteAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null, full: true).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var options = new RolloutCommandOptions(withVersionHelp: "the version whose rollout to cancel (default: the policy's latest rollout)");
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

            return await RolloutReport.WriteAsync(context, provider, options.Json(parseResult), rollout, end: null, message: null, full: false).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, ParseResult parseResult, RolloutCommandOptions options, ServiceProvider provider, Rollout rollout, CancellationToken cancellationToken)
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

        return await RolloutReport.WriteAsync(context, provider, options.Json(parseResult), run.Rollout, run.End, RolloutRunText.Describe(run), full: false).ConfigureAwait(false);
    }
}
