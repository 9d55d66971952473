using IdpBridge.Core;
using IdpBridge.Core.Policies;

namespace IdpBridge.Service.Policies;

/// <summary>
/// Keeps the terms step of each realm the service serves (<see cref="AdminApi.AdminRealms"/>) on the policy version in force: every minute it runs the convergent
/// <see cref="TermsTextSync"/>, so a version scheduled for later reaches Keycloak within a minute of taking effect,
/// and a text changed by hand in the admin console is put back.
/// </summary>
internal sealed partial class TermsTextWorker(
    IServiceScopeFactory scopes, AdminApi.AdminRealms realms, TimeProvider time, ILogger<TermsTextWorker> logger) : BackgroundService
{
    /// <summary>How often the terms step is checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            foreach (var realm in realms.Names)
            {
                await SyncAsync(realm, stoppingToken).ConfigureAwait(false);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task SyncAsync(string realm, CancellationToken stoppingToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var written = await scope.ServiceProvider.GetRequiredService<TermsTextSync>().SyncAsync(realm, stoppingToken).ConfigureAwait(false);
            if (written.Count > 0)
            {
                LogTermsUpdated(logger, realm, string.Join(", ", written));
            }
        }
        catch (Exception exception) when (DependencyFailure.Is(exception))
        {
            // Keycloak or the store is down: say so and try again at the next tick; the service keeps serving pages.
            LogSyncFailed(logger, realm, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Terms step of realm {Realm} updated: {Texts}")]
    private static partial void LogTermsUpdated(ILogger logger, string realm, string texts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Terms step of realm {Realm} not checked: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string realm, string reason);
}
