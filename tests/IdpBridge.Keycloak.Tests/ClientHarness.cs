using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Keycloak.Tests;

/// <summary>A simulator and a <see cref="KeycloakAdminClient"/> wired to it through the real DI registration.</summary>
internal sealed class ClientHarness : IDisposable
{
    private ClientHarness(KeycloakSimulator simulator, ServiceProvider services)
    {
        Simulator = simulator;
        Services = services;
        Client = services.GetRequiredService<KeycloakAdminClient>();
    }

    public KeycloakSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public KeycloakAdminClient Client { get; }

    public static ClientHarness Start(
        SimulatorOptions? simulatorOptions = null,
        Action<KeycloakOptions>? configure = null,
        TimeProvider? clientTime = null)
    {
        var simulator = KeycloakSimulator.Start(simulatorOptions);
        var services = new ServiceCollection();
        if (clientTime is not null)
        {
            services.AddSingleton(clientTime);
        }

        services.AddKeycloakAdminClient(options =>
        {
            options.Url = new Uri(simulator.Url);
            options.ClientId = simulator.AdminClientId;
            options.ClientSecret = simulator.AdminClientSecret;
            // Short waits keep retry tests quick; the tests that measure waits set their own.
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            configure?.Invoke(options);
        });
        return new ClientHarness(simulator, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>The Admin API requests the simulator saw (token requests left out).</summary>
    public IReadOnlyList<RecordedRequest> AdminRequests =>
        Simulator.Requests.Where(request => request.Path.Contains("/admin/", StringComparison.Ordinal)).ToList();

    public void Dispose()
    {
        Services.Dispose();
        Simulator.Dispose();
    }
}
