using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>A simulator with the real Keycloak client, provisioner and exporter pointed at it; dispose after each test.</summary>
internal sealed class SimulatedProvisioning : IDisposable
{
    private readonly ServiceProvider services;

    public SimulatedProvisioning()
    {
        Simulator = KeycloakSimulator.Start();
        services = new ServiceCollection().AddKeycloakAdminClientFor(Simulator).BuildServiceProvider();
        var client = services.GetRequiredService<KeycloakAdminClient>();
        Provisioner = new RealmProvisioner(client);
        Exporter = new RealmExporter(client);
    }

    public KeycloakSimulator Simulator { get; }

    public RealmProvisioner Provisioner { get; }

    public RealmExporter Exporter { get; }

    public void Dispose()
    {
        services.Dispose();
        Simulator.Dispose();
    }
}
