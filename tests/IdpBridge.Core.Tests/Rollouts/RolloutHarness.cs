using System.Text.Json.Nodes;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Http;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Core.Tests.Rollouts;

/// <summary>
/// A simulated realm with the terms step on, a store (a SQLite file unless told otherwise) with a material version 2,
/// and the rollout services.
/// </summary>
internal sealed class RolloutHarness : IAsyncDisposable
{
    public const string RealmName = "externos";
    public const string Policy = "privacy";

    private readonly string folder = Directory.CreateTempSubdirectory("idpbridge-rollout-").FullName;

    private readonly int? maxInFlight;
    private readonly int pageSize;
    private readonly Action<IdpBridgeStorageOptions> storage;
    private readonly TimeProvider? time;

    private RolloutHarness(int? maxInFlight, int pageSize, Action<IdpBridgeStorageOptions>? storage, string keycloakVersion, TimeProvider? time)
    {
        this.maxInFlight = maxInFlight;
        this.pageSize = pageSize;
        this.time = time;
        this.storage = storage ?? (options => options.SqlitePath = Path.Combine(folder, "idpbridge.db"));
        Simulator = KeycloakSimulator.Start(time is null
            ? new SimulatorOptions { MaxRequestLogCount = 100_000, KeycloakVersion = keycloakVersion }
            : new SimulatorOptions
            {
                MaxRequestLogCount = 100_000, KeycloakVersion = keycloakVersion, TimeProvider = time, LatencyOnTimeProvider = true,
                AdminTokenLifetimeSeconds = 86_400,
            });
        Realm = Simulator.CreateRealm(RealmName);
        Realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        Services = NewProcess();
    }

    /// <summary>The services of another process on the same Keycloak and database (its own client, throttle and circuit breaker).</summary>
    public ServiceProvider NewProcess() =>
        (time is null ? new ServiceCollection() : new ServiceCollection().AddSingleton(time))
            .AddLogging()
            .AddKeycloakAdminClientFor(Simulator)
            .Configure<Keycloak.KeycloakOptions>(options =>
            {
                options.MaxInFlight = maxInFlight;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            })
            .AddIdpBridgeStorage(storage)
            .AddIdpBridgeRollouts(options => options.PageSize = pageSize)
            .BuildServiceProvider();

    public KeycloakSimulator Simulator { get; }

    public SimulatedRealm Realm { get; }

    public ServiceProvider Services { get; }

    public IRolloutStore Store => Services.GetRequiredService<IRolloutStore>();

    public RolloutService Rollouts => Services.GetRequiredService<RolloutService>();

    public KeycloakThrottle Throttle => Services.GetRequiredService<KeycloakThrottle>();

    /// <param name="maxInFlight">Keycloak requests in flight per process; null: the adaptive cap.</param>
    /// <param name="pageSize">Users per list request.</param>
    /// <param name="storage">The store of every process (default: a SQLite file in a temporary folder).</param>
    /// <param name="keycloakVersion">The Keycloak version the simulator answers as.</param>
    /// <param name="time">
    /// The clock of the simulator (its latency faults too) and of every process; null: the system's.
    /// </param>
    public static async Task<RolloutHarness> StartAsync(
        int? maxInFlight = 8, int pageSize = 50, Action<IdpBridgeStorageOptions>? storage = null, string keycloakVersion = SimulatorOptions.Keycloak26_7,
        TimeProvider? time = null)
    {
        var harness = new RolloutHarness(maxInFlight, pageSize, storage, keycloakVersion, time);
        await harness.Services.GetRequiredService<IStoreDatabase>().MigrateAsync();
        var published = (time ?? TimeProvider.System).GetUtcNow().AddDays(-1);
        var policies = harness.Services.GetRequiredService<IPolicyStore>();
        foreach (var kind in new[] { PolicyVersionKind.Material, PolicyVersionKind.Material, PolicyVersionKind.Minor })
        {
            var text = new PolicyText("en", "Privacy", null, $"Text {kind} {Guid.NewGuid()}", "sha");
            await policies.AddAsync(new PolicyVersion(RealmName, Policy, 0, kind, published, published, Guid.NewGuid().ToString("N"), [text]));
        }

        return harness;
    }

    /// <summary>Starts the rollout of version 2 (material).</summary>
    public async Task<Rollout> StartRolloutAsync() => (await Rollouts.StartAsync(RealmName, Policy, 2, "test")).Rollout;

    /// <summary>A runner (a new one is a new executor only in another process; in this one they share a name).</summary>
    public RolloutRunner Runner() => Services.GetRequiredService<RolloutRunner>();

    /// <summary>The user ids each PUT on a user that Keycloak applied was sent to, with their bodies.</summary>
    public IReadOnlyList<(string UserId, JsonObject Body)> UserPuts() =>
        [.. Simulator.Requests
            .Where(request => request.Method == "PUT" && request.StatusCode < 300 && request.Path.Contains($"/admin/realms/{RealmName}/users/", StringComparison.Ordinal))
            .Select(request => (request.Path[(request.Path.LastIndexOf('/') + 1)..], JsonNode.Parse(request.Body!)!.AsObject()))];

    /// <summary>
    /// The user accepts the terms once the rollout's start (a whole second, maybe just ahead) has come: Keycloak keeps
    /// whole seconds, so an answer in the second before the start is the previous version's. Waits at most a second.
    /// </summary>
    public void AcceptTermsAfterStart(string userId, Rollout rollout)
    {
        // Thread.Sleep rounds down to whole milliseconds: sleep until the start has really come.
        for (var wait = rollout.StartedAt - TimeProvider.System.GetUtcNow(); wait > TimeSpan.Zero; wait = rollout.StartedAt - TimeProvider.System.GetUtcNow())
        {
            Thread.Sleep(wait + TimeSpan.FromMilliseconds(1));
        }

        Realm.AcceptTerms(userId);
    }

    /// <summary>Whether the user carries the terms action now.</summary>
    public bool CarriesTerms(string userId) =>
        Realm.GetUser(userId)?["requiredActions"]?.AsArray().Any(action => action!.GetValue<string>() == SimulatedRealm.TermsAction) == true;

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Simulator.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>Runs an action after each checkpoint, inline (the runner waits), as a hook into the middle of a run.</summary>
internal sealed class InlineProgress(Action<Rollout> onReport) : IProgress<Rollout>
{
    public int Reports { get; private set; }

    public void Report(Rollout value)
    {
        Reports++;
        onReport(value);
    }
}
