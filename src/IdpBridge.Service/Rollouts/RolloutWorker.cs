using IdpBridge.Core;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Service.Diagnostics;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Rollouts;

/// <summary>
/// The service's rollout executor, in two loops that wake every <see cref="RolloutOptions.WorkerInterval"/>, at a
/// <see cref="RolloutSignal"/>, and (the scheduler) when a scheduled material version takes effect; both work on the
/// realms the service serves (<see cref="AdminApi.AdminRealms"/>) only:
/// <list type="bullet">
/// <item>The scheduler: for each served realm with versions of the terms policy, the latest material version or notice in force (number 2
/// and later: version 1 is the first publication, nobody accepted an earlier one to be asked again; <c>idpbridge rollout
/// start --version 1</c> starts it by hand) gets its rollout when <see cref="RolloutOptions.AutoStart"/> is on; once it
/// has one, however started, older rollouts of the policy still running are cancelled as superseded.</item>
/// <item>The runner: every running rollout is run, one at a time, until it ends. The runner's lease decides who runs
/// it: after a restart the dead executor's lease is taken over, and with several replicas on PostgreSQL the others
/// find it <see cref="RunEnd.Busy"/>. Host shutdown interrupts a run resumably.</item>
/// </list>
/// The loops are separate so that a version taking effect supersedes the rollout being run now, which stops at its
/// next page.
/// </summary>
internal sealed partial class RolloutWorker(
    IServiceScopeFactory scopes,
    RolloutSignal signal,
    AdminApi.AdminRealms realms,
    IOptions<RolloutOptions> options,
    IOptions<PolicyOptions> policyOptions,
    IdpBridgeMetrics metrics,
    TimeProvider time,
    ILogger<RolloutWorker> logger) : BackgroundService
{
    /// <summary>Who the service's rollouts are started by.</summary>
    public const string StartedBy = "service";

    /// <summary>Versions whose start was refused and said so once: (realm, policy, version).</summary>
    private readonly HashSet<(string Realm, string Policy, int Version)> refused = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ScheduleLoopAsync(stoppingToken), RunLoopAsync(stoppingToken));

    private async Task ScheduleLoopAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: SQLite's "async" calls complete synchronously.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            var wait = options.Value.WorkerInterval;
            try
            {
                if (await ScheduleAsync(stoppingToken).ConfigureAwait(false) is { } nextEffective)
                {
                    var untilEffective = nextEffective - time.GetUtcNow();
                    wait = untilEffective < wait ? untilEffective : wait;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(exception, "look for versions to roll out");
            }

            await WaitAsync(wake, wait, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                await RunAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(exception, "run rollouts");
            }

            await WaitAsync(wake, options.Value.WorkerInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts and supersedes rollouts; returns when the next scheduled material version takes effect, if any.</summary>
    private async Task<DateTimeOffset?> ScheduleAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var policies = scope.ServiceProvider.GetRequiredService<IPolicyStore>();
        var policy = policyOptions.Value.TermsPolicy;
        DateTimeOffset? nextEffective = null;
        foreach (var realm in realms.Names)
        {
            var now = time.GetUtcNow();
            var material = (await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false))
                .Where(version => version.Kind.AsksUsers())
                .ToList();
            if (material.Where(version => version.EffectiveAt > now).Select(version => (DateTimeOffset?)version.EffectiveAt).Min() is { } scheduled
                && (nextEffective is null || scheduled < nextEffective))
            {
                nextEffective = scheduled;
            }

            if (material.LastOrDefault(version => version.EffectiveAt <= now) is not { Number: >= 2 } latest)
            {
                continue;
            }

            try
            {
                await ScheduleAsync(scope.ServiceProvider, realm, policy, latest.Number, cancellationToken).ConfigureAwait(false);
            }
            catch (KeycloakException exception)
            {
                // One realm's Keycloak trouble does not keep the others waiting; the next tick tries again.
                LogRealmFailed(logger, realm, exception.Message);
            }
        }

        return nextEffective;
    }

    private async Task ScheduleAsync(IServiceProvider services, string realm, string policy, int latest, CancellationToken cancellationToken)
    {
        var rollouts = services.GetRequiredService<RolloutService>();
        var existing = (await services.GetRequiredService<IRolloutStore>().ListAsync(realm, cancellationToken).ConfigureAwait(false))
            .Where(rollout => rollout.Policy == policy)
            .ToList();
        if (!existing.Any(rollout => rollout.VersionNumber == latest))
        {
            if (!options.Value.AutoStart || !await TryStartAsync(rollouts, realm, policy, latest, cancellationToken).ConfigureAwait(false))
            {
                // Until the version in force has its rollout, the older one goes on: users it marks accept the text in force.
                return;
            }
        }

        foreach (var older in existing.Where(rollout => rollout.VersionNumber < latest && rollout.Status == RolloutStatus.Running))
        {
            await rollouts.CancelAsync(older, $"Superseded by version {latest}", cancellationToken).ConfigureAwait(false);
            LogSuperseded(logger, older.Id, realm, policy, older.VersionNumber, latest);
        }
    }

    private async Task<bool> TryStartAsync(RolloutService rollouts, string realm, string policy, int version, CancellationToken cancellationToken)
    {
        try
        {
            var (rollout, created) = await rollouts.StartAsync(realm, policy, version, StartedBy, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                LogStarted(logger, rollout.Id, realm, policy, version, rollout.UsersTotal);
                signal.Pulse();
            }

            return true;
        }
        catch (RolloutException exception)
        {
            // Refused until an administrator fixes the realm: said once per version, tried again at every tick.
            if (refused.Add((realm, policy, version)))
            {
                LogStartRefused(logger, realm, policy, version, exception.Code);
            }

            return false;
        }
    }

    private async Task RunAllAsync(CancellationToken stoppingToken)
    {
        using var scope = scopes.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IRolloutStore>();
        var running = (await store.ListAsync(null, stoppingToken).ConfigureAwait(false))
            .Where(rollout => rollout.Status == RolloutStatus.Running && realms.Serves(rollout.Realm))
            .OrderBy(rollout => rollout.Id)
            .ToList();
        foreach (var listed in running)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var runner = scope.ServiceProvider.GetRequiredService<RolloutRunner>();
            var before = await store.GetAsync(listed.Id, stoppingToken).ConfigureAwait(false) ?? listed;
            var marked = new MarkedCounter(metrics, before);
            var run = await runner.RunAsync(listed.Id, marked, stoppingToken).ConfigureAwait(false);
            metrics.RolloutRuns.Add(1, new KeyValuePair<string, object?>("end", run.End.ToString().ToLowerInvariant()));
            if (run.End == RunEnd.Busy)
            {
                LogBusy(logger, listed.Id, run.Rollout.LeaseOwner?.Value, run.Rollout.LeaseUntil);
            }
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var elapsed = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, timer.Token);
        await Task.WhenAny(wake, elapsed).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
    }

    private void LogFailed(Exception exception, string what)
    {
        if (DependencyFailure.Is(exception))
        {
            // Keycloak or the store is down: say so and try again at the next tick.
            LogUnavailable(logger, what, exception.Message);
        }
        else
        {
            LogUnexpected(logger, exception, what);
        }
    }

    /// <summary>Counts users marked as the runner reports its checkpoints.</summary>
    private sealed class MarkedCounter(IdpBridgeMetrics metrics, Rollout start) : IProgress<Rollout>
    {
        private long marked = start.Counts.Marked;

        public void Report(Rollout value)
        {
            var added = value.Counts.Marked - marked;
            marked = value.Counts.Marked;
            if (added > 0)
            {
                metrics.RolloutUsersMarked.Add(
                    added, new KeyValuePair<string, object?>("realm", value.Realm), new KeyValuePair<string, object?>("policy", value.Policy));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Id} of {Realm}/{Policy} v{Version} started by the service for {UsersTotal} users.")]
    private static partial void LogStarted(ILogger logger, long id, string realm, string policy, int version, long? usersTotal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rollout of {Realm}/{Policy} v{Version} cannot start: {Code} (docs/cli-json.md lists the codes)")]
    private static partial void LogStartRefused(ILogger logger, string realm, string policy, int version, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Id} of {Realm}/{Policy} v{Version} cancelled: superseded by version {Latest}.")]
    private static partial void LogSuperseded(ILogger logger, long id, string realm, string policy, int version, int latest);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rollout {Id} is run elsewhere: executor {Executor} holds it until {LeaseUntil:O}")]
    private static partial void LogBusy(ILogger logger, long id, string? executor, DateTimeOffset? leaseUntil);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollouts of realm {Realm} not checked: {Reason}")]
    private static partial void LogRealmFailed(ILogger logger, string realm, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {What}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string what, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not {What}.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string what);
}
