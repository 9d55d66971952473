using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// Executes a rollout: walks the realm's users twice (the scan, then a closing sweep for users renamed past the
/// cursor and users whose action vanished, see <see cref="PageTriage"/>), and adds <c>TERMS_AND_CONDITIONS</c> to each
/// user who has not accepted since the rollout started. Pages are
/// read ahead and users written concurrently, up to what <see cref="KeycloakAdminClient"/>'s throttle lets through;
/// outcomes and the cursor are stored page by page, in order, so a crash loses at most the pages in flight, and those
/// users are recognised on resume.
/// </summary>
/// <remarks>
/// <para>
/// Exactly-once marking across crashes: before sending writes for a page, the users are recorded as pending. A resumed
/// run re-reads the page after the stored cursor; users with a final row are not touched again, and a pending user
/// found carrying the action is counted as marked (the write of the crashed run landed). When Keycloak fails during
/// the sweep, the sweep starts over on resume: Keycloak may have lost the writes it acknowledged just before.
/// </para>
/// <para>
/// This file is the run and its lease (acquire, renew, release, stop); <c>RolloutRunner.Pipeline.cs</c> is what
/// walks the users while the lease is held.
/// </para>
/// </remarks>
public sealed partial class RolloutRunner
{
    private readonly KeycloakAdminClient keycloak;
    private readonly IRolloutStore store;
    private readonly RolloutOptions settings;
    private readonly int writersAtOnce;
    private readonly TimeProvider time;
    private readonly ILogger<RolloutRunner> logger;
    private readonly KeycloakThrottle throttle;

    /// <summary>Creates the runner.</summary>
    public RolloutRunner(
        KeycloakAdminClient keycloak,
        IRolloutStore store,
        IOptions<RolloutOptions> options,
        IOptions<KeycloakOptions> keycloakOptions,
        TimeProvider time,
        ILogger<RolloutRunner> logger,
        KeycloakThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keycloakOptions);
        this.keycloak = keycloak ?? throw new ArgumentNullException(nameof(keycloak));
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        settings = options.Value;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.throttle = throttle ?? throw new ArgumentNullException(nameof(throttle));

        // A little more than the throttle lets through, so a freed slot is taken at once.
        writersAtOnce = keycloakOptions.Value.InFlightCeiling + 2;
    }

    /// <summary>
    /// Runs rollout <paramref name="rolloutId"/> until it completes, is cancelled, or <paramref name="stop"/> fires
    /// (then the requests in flight finish and are recorded, and the rollout stays resumable).
    /// </summary>
    public async Task<RolloutRun> RunAsync(long rolloutId, IProgress<Rollout>? progress = null, CancellationToken stop = default)
    {
        var rollout = await store.GetAsync(rolloutId, CancellationToken.None).ConfigureAwait(false)
            ?? throw new RolloutException(RolloutRefusal.NoSuchRollout, new RolloutRefusalFacts(null, RolloutId: rolloutId));
        if (rollout.Status != RolloutStatus.Running)
        {
            return new RolloutRun(RunEnd.NotRunning, rollout);
        }

        var executor = LeaseOwner.ForNewRun();
        var deadOwner = rollout.LeaseOwner is { } holding && holding.IsDeadLocalProcess() ? holding : (LeaseOwner?)null;
        var now = time.GetUtcNow();
        if (!await store.TryAcquireLeaseAsync(rolloutId, executor, now, now + settings.LeaseDuration, deadOwner, CancellationToken.None)
            .ConfigureAwait(false))
        {
            var holder = await store.GetAsync(rolloutId, CancellationToken.None).ConfigureAwait(false) ?? rollout;
            return new RolloutRun(RunEnd.Busy, holder);
        }

        Log.Started(logger, rollout.Id, rollout.Realm, rollout.Policy, rollout.VersionNumber, rollout.Phase);
        var changesBefore = throttle.Snapshot().Changes;
        var pipeline = new Pipeline(this, rollout, executor, progress, changesBefore);
        RunEnd end;
        RunInterruption? interruption;
        try
        {
            (end, interruption) = await pipeline.RunAsync(stop).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store failed mid-run: give the lease back if it can still be reached, so a retry need not wait it out.
            await TryReleaseAsync(rolloutId, executor, $"Stopped: {exception.Message}", changesBefore).ConfigureAwait(false);
            throw;
        }

        if (end is RunEnd.Interrupted or RunEnd.Cancelled)
        {
            await store.ReleaseLeaseAsync(rolloutId, executor, interruption?.Note, time.GetUtcNow(), InFlightNow(changesBefore), CancellationToken.None)
                .ConfigureAwait(false);
        }

        var final = await store.GetAsync(rolloutId, CancellationToken.None).ConfigureAwait(false) ?? pipeline.Current;
        Log.Ended(logger, rollout.Id, end, final.Counts.Scanned, final.Counts.Marked, final.Counts.Remarked, final.Counts.Failed, interruption?.Note ?? "");
        return new RolloutRun(end, final, interruption);
    }

    /// <summary>The cap this process runs under now, for the store, counting the changes since the run began.</summary>
    private RolloutInFlight InFlightNow(long changesBefore) => RolloutInFlight.From(throttle.Snapshot(), changesBefore);

    private async Task TryReleaseAsync(long rolloutId, LeaseOwner executor, string message, long changesBefore)
    {
        try
        {
            await store.ReleaseLeaseAsync(rolloutId, executor, message, time.GetUtcNow(), InFlightNow(changesBefore), CancellationToken.None)
                .ConfigureAwait(false);
        }
        // Best effort after a failure, rethrown by the caller: Npgsql also throws InvalidOperationException on a broken connection.
        catch (Exception exception) when (DependencyFailure.Is(exception) || exception is InvalidOperationException)
        {
            Log.ReleaseFailed(logger, rolloutId, exception.Message);
        }
    }

    /// <summary>
    /// Renews the lease every third of its duration until <paramref name="runEnded"/> fires; when a renewal finds the
    /// lease taken over, cancels <paramref name="lost"/> so the pipeline stops writing.
    /// </summary>
    private async Task KeepLeaseAsync(long rolloutId, LeaseOwner executor, CancellationTokenSource lost, CancellationToken runEnded)
    {
        var period = settings.LeaseDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, runEnded).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (!await store.RenewLeaseAsync(rolloutId, executor, now, now + settings.LeaseDuration, runEnded).ConfigureAwait(false))
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Rollout {Id} of {Realm}/{Policy} v{Version} runs from phase {Phase}.")]
        public static partial void Started(ILogger logger, long id, string realm, string policy, int version, RolloutPhase phase);

        [LoggerMessage(3, LogLevel.Warning, "Rollout {Id}: its lease could not be released ({Reason}); another executor takes it once it expires.")]
        public static partial void ReleaseFailed(ILogger logger, long id, string reason);

        [LoggerMessage(2, LogLevel.Information,
            "Rollout {Id} ended: {End}; {Scanned} users handled, {Marked} marked ({Remarked} re-marked by the sweep), {Failed} failed. {Message}")]
        public static partial void Ended(ILogger logger, long id, RunEnd end, long scanned, long marked, long remarked, long failed, string message);
    }
}
