using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>A simulator per test, and a <see cref="RealmProvisioner"/> that talks to it.</summary>
public abstract class ProvisionerTestBase
{
    private ServiceProvider services = null!;

    protected KeycloakSimulator Simulator { get; private set; } = null!;

    protected RealmProvisioner Provisioner { get; private set; } = null!;

    protected KeycloakAdminClient Keycloak { get; private set; } = null!;

    [SetUp]
    public void StartSimulator() => Start(null);

    [TearDown]
    public void StopSimulator()
    {
        services.Dispose();
        Simulator.Dispose();
    }

    /// <summary>Replaces the test's simulator with one started with <paramref name="options"/>.</summary>
    protected void RestartSimulator(SimulatorOptions options)
    {
        StopSimulator();
        Start(options);
    }

    private void Start(SimulatorOptions? options)
    {
        Simulator = KeycloakSimulator.Start(options);
        services = new ServiceCollection().AddKeycloakAdminClientFor(Simulator).BuildServiceProvider();
        Keycloak = services.GetRequiredService<KeycloakAdminClient>();
        Provisioner = new RealmProvisioner(Keycloak);
    }

    /// <summary>Services with a Keycloak client to the test's simulator that log at every level to <paramref name="logs"/>; dispose them.</summary>
    protected ServiceProvider LoggedServices(ILoggerProvider logs) =>
        new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddKeycloakAdminClientFor(Simulator)
            .BuildServiceProvider();

    /// <summary>A realm config from JSON, without environment variables.</summary>
    protected static RealmConfig Config(string json) => RealmConfigLoader.Parse(json, "realm.json", _ => null).Config;

    /// <summary>The writes the simulator's admin API got (token requests left out), as <c>METHOD path</c>.</summary>
    protected List<string> AdminWrites() =>
        [
            .. Simulator.Requests
                .Where(request => request.Method != "GET" && request.Path.StartsWith("/admin/", StringComparison.Ordinal))
                .Select(request => $"{request.Method} {request.Path}"),
        ];

    /// <summary>The strings of a JSON array (none when it is absent).</summary>
    protected static string[] Strings(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonArray array ? [.. array.Select(item => item!.GetValue<string>())] : [];

    /// <summary>The plan as lines: <c>Kind type name: path before → after</c>, one per field.</summary>
    protected static List<string> Describe(RealmPlan plan) =>
        plan.Changes.SelectMany(change => change.Fields.Select(field =>
            $"{change.Kind} {change}: {field.Path} {field.Before?.ToJsonString() ?? "∅"} → {field.After?.ToJsonString() ?? "∅"}")).ToList();
}
