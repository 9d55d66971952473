using IdpBridge.Core;
using IdpBridge.Core.Ledger;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// Keeps the acceptance record of each realm the service serves (<see cref="AdminApi.AdminRealms"/>) current: a <see cref="LedgerSync"/> every
/// <see cref="LedgerOptions.SyncInterval"/> (zero turns it off), and, when <see cref="LedgerOptions.RetentionDays"/> is
/// set, the recorded retention prune once a day.
/// </summary>
internal sealed partial class LedgerWorker(
    IServiceScopeFactory scopes, AdminApi.AdminRealms realms, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.SyncInterval == TimeSpan.Zero)
        {
            LogDisabled(logger);
            return;
        }

        DateTimeOffset? lastPrune = null;
        using var timer = new PeriodicTimer(settings.SyncInterval, time);
        do
        {
            var now = time.GetUtcNow();
            var prune = settings.RetentionDays > 0 && (lastPrune is null || now - lastPrune >= TimeSpan.FromDays(1));
            foreach (var realm in realms.Names)
            {
                await SyncAsync(realm, prune ? now : null, settings.RetentionDays, stoppingToken).ConfigureAwait(false);
            }

            lastPrune = prune ? now : lastPrune;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One realm's sync, and its prune when <paramref name="pruneAt"/> is set; a dependency failure is logged, not thrown.</summary>
    private async Task SyncAsync(string realm, DateTimeOffset? pruneAt, int retentionDays, CancellationToken stoppingToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<LedgerSync>().SyncAsync(realm, stoppingToken).ConfigureAwait(false);
            if (result.Recorded + result.Reconciled > 0)
            {
                LogSynced(logger, realm, result.Recorded, result.Reconciled);
            }

            if (pruneAt is { } now)
            {
                var pruned = await scope.ServiceProvider.GetRequiredService<IAcceptanceLedger>()
                    .PruneAsync(realm, now.AddDays(-retentionDays), now, stoppingToken).ConfigureAwait(false);
                LogPruned(logger, realm, pruned, retentionDays);
            }
        }
        catch (Exception exception) when (DependencyFailure.Is(exception))
        {
            // Keycloak or the store is down: the watermark has not moved, so the next tick reads the same events again.
            LogSyncFailed(logger, realm, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Acceptance record of realm {Realm}: {Recorded} decisions from events, {Reconciled} from timestamps")]
    private static partial void LogSynced(ILogger logger, string realm, int recorded, int reconciled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acceptance record of realm {Realm}: pruned {Pruned} records older than {Days} days")]
    private static partial void LogPruned(ILogger logger, string realm, long pruned, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acceptance record of realm {Realm} not synced: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string realm, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acceptance record sync is off (IdpBridge:Ledger:SyncInterval = 0)")]
    private static partial void LogDisabled(ILogger logger);
}
