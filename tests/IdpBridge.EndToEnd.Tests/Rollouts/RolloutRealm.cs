using System.Diagnostics;
using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using IdpBridge.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Rollouts;

/// <summary>
/// A realm on the real server set up as an administrator would for a rollout: the demo realm applied by
/// <c>idpbridge realm apply</c> (terms step enabled and a default action, the user profile with its name and email
/// validators), unmanaged attributes visible to admins (so the test can read every attribute back), policy version 1
/// published by <c>idpbridge policy publish</c> into a SQLite store of its own, and a <see cref="RolloutPopulation"/>
/// imported through partial import. Disposing deletes the realm and the store.
/// </summary>
internal sealed class RolloutRealm : IAsyncDisposable
{
    private const int ImportBatch = 500;
    private static readonly string Policies = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    private readonly DemoRealm demo;
    private readonly string folder;

    private RolloutRealm(RealServer server, DemoRealm demo, string folder)
    {
        Server = server;
        this.demo = demo;
        this.folder = folder;
    }

    public RealServer Server { get; }

    public string Name => demo.Name;

    /// <summary>The SQLite store the CLI uses.</summary>
    public string Store => Path.Combine(folder, "idpbridge.db");

    public IReadOnlyList<SeededUser> Seeded { get; private set; } = [];

    /// <summary>Every user as read back right after the import, by username.</summary>
    public IReadOnlyDictionary<string, JsonObject> Before { get; private set; } = new Dictionary<string, JsonObject>();

    /// <summary>How long the import of the users took.</summary>
    public TimeSpan ImportTime { get; private set; }

    /// <summary>Creates the realm with <paramref name="users"/> users.</summary>
    public static async Task<RolloutRealm> CreateAsync(RealServer server, int users)
    {
        var realm = new RolloutRealm(server, DemoRealm.CopyInAdminApiMode(server.Admin), Directory.CreateTempSubdirectory("idpbridge-e2e-rollout-").FullName);
        try
        {
            await realm.SetUpAsync(users);
            return realm;
        }
        catch
        {
            // A failed set-up leaves neither the realm nor the folders behind.
            await realm.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync(int users)
    {
        var apply = await Cli().RunAsync("realm", "apply", demo.Folder, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());

        var profilePath = $"realms/{Uri.EscapeDataString(Name)}/users/profile";
        var profile = (await Server.Admin.GetAsync(profilePath))!.AsObject();
        profile["unmanagedAttributePolicy"] = "ADMIN_VIEW";
        await Server.Admin.SendAsync(HttpMethod.Put, profilePath, profile);

        var publish = await Cli().RunAsync(
            "policy", "publish", Path.Combine(Policies, "v1", "es.md"), Path.Combine(Policies, "v1", "en.md"), "--realm", Name);
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());

        var clock = Stopwatch.StartNew();
        Seeded = RolloutPopulation.Create(Name, users, TimeProvider.System.GetUtcNow());
        foreach (var batch in Seeded.Chunk(ImportBatch))
        {
            var imported = await Server.Admin.ImportUsersAsync(Name, new JsonArray([.. batch.Select(user => (JsonNode?)user.Representation.DeepClone())]));
            Assert.That(imported.Body?["added"]?.GetValue<int>(), Is.EqualTo(batch.Length), imported.Text);
        }

        ImportTime = clock.Elapsed;
        Before = await UsersByNameAsync();
        TestContext.Progress.WriteLine($"Realm {Name}: {users:N0} users imported in {ImportTime.TotalSeconds:F1} s.");
    }

    /// <summary><c>idpbridge</c> on this realm's store, pointed at the server (or at <paramref name="keycloakUrl"/>, a proxy in front of it).</summary>
    public IdpBridgeProcess Cli(Uri? keycloakUrl = null)
    {
        var cli = Server.Cli(keycloakUrl);
        cli.Environment["IdpBridge__Storage__SqlitePath"] = Store;
        return cli;
    }

    /// <summary>Every user of the realm read back through the admin API (full representations), by username.</summary>
    public async Task<Dictionary<string, JsonObject>> UsersByNameAsync() =>
        (await Server.Admin.AllUsersAsync(Name)).ToDictionary(user => user["username"]!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The rollout store the CLI wrote, opened in this process (to watch a run, or to read what it recorded).</summary>
    public ServiceProvider OpenStore() =>
        new ServiceCollection().AddIdpBridgeCore().Configure<Core.Storage.IdpBridgeStorageOptions>(options => options.SqlitePath = Store).BuildServiceProvider();

    /// <summary>The rollout of version 1, as stored now.</summary>
    public async Task<Rollout?> RolloutAsync()
    {
        await using var store = OpenStore();
        return await store.GetRequiredService<IRolloutStore>().FindAsync(Name, "privacy", 1);
    }

    public async ValueTask DisposeAsync()
    {
        await demo.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
