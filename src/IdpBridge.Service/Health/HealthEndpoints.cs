using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no dependency is checked, so a Keycloak outage never restarts it).
/// <c>/health/ready</c>: the store and Keycloak answer; a load balancer sends traffic only then.
/// </summary>
internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static void AddIdpBridgeHealth(this IServiceCollection services)
    {
        services.TryAddSingleton<KeycloakReadiness>();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<KeycloakHealthCheck>("keycloak", tags: [ReadyTag]);
    }

    public static void MapIdpBridgeHealth(this WebApplication app)
    {
        // Short-circuited: answered right after routing, before authentication or any other middleware, so nothing
        // Keycloak-related (a token scheme that cannot read its keys) ever turns liveness into a 500 and a restart.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ShortCircuit();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
    }

    /// <summary>The store is ready when it answers <c>SELECT 1</c>.</summary>
    private sealed class StoreHealthCheck(IStoreHealth store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.CheckAsync(cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy();
            }
            catch (StorageException exception)
            {
                return HealthCheckResult.Unhealthy(exception.Message);
            }
        }
    }

    /// <summary>
    /// Keycloak is ready when the admin API answers with the service's own token (a cached one is fine) and shows every
    /// realm the service serves (the token's realm, <c>IdpBridge:Keycloak:Realm</c>, may be another, e.g. master). The answer is
    /// shared for <see cref="KeycloakReadiness.Freshness"/>, so probes do not turn into Admin API traffic.
    /// </summary>
    private sealed class KeycloakHealthCheck(KeycloakAdminClient keycloak, AdminApi.AdminRealms realms, KeycloakReadiness readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            readiness.GetAsync(AskAsync).WaitAsync(cancellationToken);

        private async Task<HealthCheckResult> AskAsync()
        {
            // Not the prober's token: the answer is shared, and one prober giving up must not cancel it for the others.
            var cancellationToken = CancellationToken.None;
            try
            {
                foreach (var name in realms.Names)
                {
                    // Only that it exists: a service account without view-realm (the ledger's roles) sees it cut down.
                    if (await keycloak.FindRealmAsAnsweredAsync(name, cancellationToken).ConfigureAwait(false) is null)
                    {
                        return HealthCheckResult.Unhealthy($"Keycloak answers but realm '{name}' (IdpBridge:AdminApi:Realm/Realms) is not visible to the service account.");
                    }
                }

                return HealthCheckResult.Healthy();
            }
            catch (KeycloakException exception)
            {
                return HealthCheckResult.Unhealthy(exception.Message);
            }
        }
    }
}
