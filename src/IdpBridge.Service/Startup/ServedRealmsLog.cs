using IdpBridge.Keycloak;
using IdpBridge.Service.AdminApi;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Startup;

/// <summary>
/// Says at start-up which realms the service works on (<c>IdpBridge:AdminApi:Realm</c> / <c>Realms</c>: pages, admin
/// API, terms step, rollouts, acceptance record) and which realm its admin token comes from
/// (<c>IdpBridge:Keycloak:Realm</c>, often master), two settings easily mistaken for each other.
/// </summary>
internal sealed partial class ServedRealmsLog(AdminRealms realms, IOptions<KeycloakOptions> keycloak, ILogger<ServedRealmsLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogServing(logger, string.Join(", ", realms.Names), keycloak.Value.Url?.ToString() ?? "", keycloak.Value.Realm);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Serving realm(s) {Realms} of Keycloak {KeycloakUrl} (IdpBridge:AdminApi:Realm/Realms); " +
            "the admin token comes from realm {TokenRealm} (IdpBridge:Keycloak:Realm)")]
    private static partial void LogServing(ILogger logger, string realms, string keycloakUrl, string tokenRealm);
}
