using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Core.Tests;

/// <summary>The real Keycloak client registration, pointed at a simulator's admin client.</summary>
internal static class SimulatorClient
{
    public static IServiceCollection AddKeycloakAdminClientFor(this IServiceCollection services, KeycloakSimulator simulator)
    {
        services.AddKeycloakAdminClient(options =>
        {
            options.Url = new Uri(simulator.Url);
            options.ClientId = simulator.AdminClientId;
            options.ClientSecret = simulator.AdminClientSecret;
        });
        return services;
    }
}
