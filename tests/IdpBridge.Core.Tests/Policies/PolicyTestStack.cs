using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdpBridge.Core.Tests.Policies;

/// <summary>
/// The simulated Keycloak with the bilingual realm <c>externos</c> (es by default, en), a real SQLite store in a
/// temporary folder, migrated, and the services a test adds: what publication, the terms-step sync and a rollout
/// start in a bridge realm are tested against. Dispose it.
/// </summary>
internal sealed class PolicyTestStack : IDisposable
{
    /// <summary>The demo realm's privacy policy: a folder per version, one Markdown file per locale.</summary>
    public static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"idpbridge-policies-{Guid.NewGuid():N}");

    private PolicyTestStack(SimulatorOptions? simulatorOptions)
    {
        Simulator = KeycloakSimulator.Start(simulatorOptions);
        Realm = Simulator.CreateRealm("externos");
        Realm.SetSetting("defaultLocale", "es");
        Realm.SetSetting("supportedLocales", new System.Text.Json.Nodes.JsonArray("es", "en"));
        Realm.SetSetting("internationalizationEnabled", true);
    }

    /// <summary>The simulated Keycloak.</summary>
    public KeycloakSimulator Simulator { get; }

    /// <summary>The realm <c>externos</c>.</summary>
    public SimulatedRealm Realm { get; }

    /// <summary>The services, with the admin client for <see cref="Simulator"/> and the store.</summary>
    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>Starts the stack on <paramref name="time"/>, with what <paramref name="addServices"/> adds, the store migrated.</summary>
    public static async Task<PolicyTestStack> StartAsync(
        FakeTimeProvider time, Action<IServiceCollection> addServices, SimulatorOptions? simulatorOptions = null)
    {
        var stack = new PolicyTestStack(simulatorOptions);
        var collection = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddKeycloakAdminClientFor(stack.Simulator)
            .AddIdpBridgeStorage(options => options.SqlitePath = Path.Combine(stack.folder, "idpbridge.db"));
        addServices(collection);
        stack.Services = collection.BuildServiceProvider();
        await stack.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        return stack;
    }

    /// <summary>The two locales' documents of one version folder (<c>v1</c>, <c>v2</c>).</summary>
    public static List<PolicyDocument> Documents(string version) =>
        [PolicyDocumentReader.Read(Path.Combine(Demo, version, "es.md")), PolicyDocumentReader.Read(Path.Combine(Demo, version, "en.md"))];

    /// <inheritdoc />
    public void Dispose()
    {
        Services.Dispose();
        Simulator.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
