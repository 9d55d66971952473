using IdpBridge.Core;
using IdpBridge.Core.Ledger;
using IdpBridge.Keycloak;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// Keeps the service's realm's acceptance record current: a <see cref="LedgerSync"/> every
/// <see cref="LedgerOptions.SyncInterval"/> (zero turns it off), and, when <see cref="LedgerOptions.RetentionDays"/> is
/// set, the recorded retention prune once a day.
/// </summary>
internal sealed partial class LedgerWorker(
    IServiceScopeFactory scopes, IOptions<KeycloakOptions> keycloak, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.SyncInterval == TimeSpan.Zero)
        {
            LogDisabled(logger);
            return;
        }

        var realm = keycloak.Value.Realm;
        DateTimeOffset? lastPrune = null;
        using var timer = new PeriodicTimer(settings.SyncInterval, time);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                var result = await scope.ServiceProvider.GetRequiredService<LedgerSync>().SyncAsync(realm, stoppingToken).ConfigureAwait(false);
                if (result.Recorded + result.Reconciled > 0)
                {
                    LogSynced(logger, realm, result.Recorded, result.Reconciled);
                }

                var now = time.GetUtcNow();
                if (settings.RetentionDays > 0 && (lastPrune is null || now - lastPrune >= TimeSpan.FromDays(1)))
                {
                    var pruned = await scope.ServiceProvider.GetRequiredService<IAcceptanceLedger>()
                        .PruneAsync(realm, now.AddDays(-settings.RetentionDays), now, stoppingToken).ConfigureAwait(false);
                    lastPrune = now;
                    LogPruned(logger, realm, pruned, settings.RetentionDays);
                }
            }
            catch (Exception exception) when (DependencyFailure.Is(exception))
            {
                // Keycloak or the store is down: the watermark has not moved, so the next tick reads the same events again.
                LogSyncFailed(logger, realm, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
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
