using System.Text.Json.Nodes;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>Ingestion against the simulator and a real SQLite store, on a fake clock shared by both.</summary>
public sealed class LedgerSyncTests
{
    private const string RealmName = "externos";
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 15, 30, 0, TimeSpan.Zero);

    private readonly List<Action> afterEventsPage = [];
    private FakeTimeProvider time = null!;
    private KeycloakSimulator simulator = null!;
    private SimulatedRealm realm = null!;
    private ServiceProvider services = null!;
    private string folder = null!;

    [TearDown]
    public void Stop()
    {
        services?.Dispose();
        simulator?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase(EventsQueryMode.Day)]
    [TestCase(EventsQueryMode.Millis)]
    public async Task Sync_EventsArriveWhileItPages_NoneLostNoneTwice(EventsQueryMode mode)
    {
        await StartAsync(new LedgerOptions { EventsQuery = mode, PageSize = 50 });
        var users = SeedUsers(40);
        // 600 decisions over the last hour, some sharing a millisecond (Keycloak orders them with no tie-breaker).
        realm.AddEventsUnchecked(Enumerable.Range(0, 600).Select(i => TermsEvent(users[i % users.Count], Start.AddHours(-1).AddMilliseconds(i / 3 * 5_000))));
        var arrived = 0;
        afterEventsPage.Add(() =>
        {
            // Each page read lets seven more decisions in, as logins go on during the sync; three were stamped two minutes
            // ago and committed only now (Keycloak stamps an event before its transaction ends).
            time.Advance(TimeSpan.FromMilliseconds(3));
            realm.AddEventsUnchecked(Enumerable.Range(0, 7).Select(i =>
                TermsEvent(users[(arrived + i) % users.Count], i < 3 ? time.GetUtcNow().AddMinutes(-2) : time.GetUtcNow())));
            arrived += 7;
        });

        var first = await Sync.SyncAsync(RealmName);
        afterEventsPage.Clear();
        var second = await Sync.SyncAsync(RealmName);
        // Every 7th seeded user carries an older acceptance time, which no event explains: those are reconciled.
        var records = (await ReadAllAsync()).Where(record => record.Source == AcceptanceSource.Event).ToList();

        var expected = realm.GetEvents().Count;
        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.EqualTo(600 + arrived));
            Assert.That(records, Has.Count.EqualTo(expected), "every event recorded once");
            Assert.That(records.Select(record => record.EventKey), Is.Unique);
            Assert.That(first.Recorded + second.Recorded, Is.EqualTo(expected));
            Assert.That(first.Recorded, Is.GreaterThanOrEqualTo(600), "what was there when the sync began is in its first run");
            Assert.That(records.Select(record => record.OccurredAt), Is.Ordered);
        });
    }

    [Test]
    public async Task Sync_ThirdRunWithNothingNew_RecordsNothingAndKeepsTheWatermark()
    {
        await StartAsync();
        var users = SeedUsers(3);
        realm.AddEventsUnchecked(users.Select((user, i) => TermsEvent(user, Start.AddMinutes(-i))));

        var first = await Sync.SyncAsync(RealmName);
        var again = await Sync.SyncAsync(RealmName);

        Assert.That((first.Recorded, again.Recorded, again.AlreadyRecorded), Is.EqualTo((3, 0, 3)));
        Assert.That(again.Watermark, Is.EqualTo(Start));
        Assert.That(await services.GetRequiredService<IAcceptanceLedger>().GetWatermarkAsync(RealmName), Is.EqualTo(Start));
    }

    [Test]
    public async Task Sync_DeclineThenAccept_TwoRecordsInOrder()
    {
        await StartAsync();
        await PublishAsync(1, Start.AddDays(-30));
        var userId = realm.AddUser("maria.lopez");
        realm.SetRequiredActions(userId, SimulatedRealm.TermsAction);

        realm.DeclineTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        time.Advance(TimeSpan.FromSeconds(40));
        realm.AcceptTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        await Sync.SyncAsync(RealmName);
        time.Advance(TimeSpan.FromHours(1));
        var later = await Sync.SyncAsync(RealmName);
        var history = await ReadAllAsync(userId);

        Assert.That(later.Reconciled, Is.Zero, "the timestamp is the acceptance already recorded");
        Assert.That(history.Select(record => (record.Decision, record.OccurredAt)), Is.EqualTo(new[]
        {
            (AcceptanceDecision.Declined, Start),
            (AcceptanceDecision.Accepted, Start.AddSeconds(40)),
        }));
        Assert.That(history, Has.All.Matches<AcceptanceRecord>(record =>
            record.Source == AcceptanceSource.Event && record.Username == "maria.lopez" && record.ClientId == "portal"
            && record.IpAddress == "203.0.113.9" && record.VersionNumber == 1 && record.ContentHash == "hash-1" && record.Policy == "privacy"));
    }

    [Test]
    public async Task Sync_EventNamesTheLoginAsTyped_RecordsTheUsernameLookedUpOnceAndNullForADeletedUser()
    {
        await StartAsync();
        var ana = realm.AddUser("ana");
        var beto = realm.AddUser("beto");
        realm.AcceptTerms(ana, login: "Ana@Example.org");
        time.Advance(TimeSpan.FromSeconds(1));
        realm.DeclineTerms(beto, login: "beto@example.org");
        time.Advance(TimeSpan.FromSeconds(1));
        realm.AcceptTerms(ana, login: "ANA");
        realm.DeleteUser(beto);

        await Sync.SyncAsync(RealmName);
        var lookups = simulator.Requests.Count(request => request.Method == "GET" && request.Path.Contains("/users/", StringComparison.Ordinal));
        simulator.ClearRequests();
        var again = await Sync.SyncAsync(RealmName);

        Assert.That((await ReadAllAsync()).Select(record => (record.UserId, record.Username)), Is.EqualTo(new[] { (ana, "ana"), (beto, (string?)null), (ana, "ana") }));
        Assert.That(lookups, Is.EqualTo(2), "one lookup per user");
        Assert.That(again.AlreadyRecorded, Is.EqualTo(3));
        Assert.That(simulator.Requests.Where(request => request.Path.Contains("/users/", StringComparison.Ordinal)), Is.Empty, "nothing looked up for what is recorded");
    }

    [Test]
    public async Task Sync_RegistrationWithTheTermsCheckbox_IsRecordedAsRegistration()
    {
        await StartAsync(new LedgerOptions { RegistrationAcceptsTerms = true });
        await PublishAsync(1, Start.AddDays(-1));

        var userId = realm.RegisterUser("nueva.usuaria", clientId: "portal", ipAddress: "198.51.100.4");
        await Sync.SyncAsync(RealmName);
        time.Advance(TimeSpan.FromHours(1));
        await Sync.SyncAsync(RealmName);
        var history = await ReadAllAsync(userId);

        Assert.That(history, Has.Count.EqualTo(1));
        Assert.That(history[0], Is.EqualTo(new AcceptanceRecord(
            RealmName, userId, "nueva.usuaria", "privacy", 1, "hash-1", AcceptanceDecision.Accepted, Start, "portal", "198.51.100.4",
            AcceptanceSource.Registration, history[0].EventKey, history[0].KeycloakEventId) { Id = history[0].Id, RecordedAt = Start }));
    }

    [Test]
    public async Task Sync_RegistrationWithoutTheCheckboxSetting_IsNoAcceptanceButItsTimestampIsReconciled()
    {
        await StartAsync();

        var userId = realm.RegisterUser("nueva.usuaria");
        var early = await Sync.SyncAsync(RealmName);
        time.Advance(TimeSpan.FromMinutes(11));
        var late = await Sync.SyncAsync(RealmName);
        var history = await ReadAllAsync(userId);

        Assert.That((early.Recorded, early.Reconciled, late.Reconciled), Is.EqualTo((0, 0, 1)), "reconciled only once older than the overlap");
        Assert.That(history.Single().Source, Is.EqualTo(AcceptanceSource.Timestamp));
    }

    [Test]
    public async Task Sync_EventsDisabled_TimestampsFillTheRecord()
    {
        await StartAsync(eventsEnabled: false);
        await PublishAsync(1, Start.AddDays(-10));
        var users = SeedUsers(5);
        foreach (var user in users.Take(3))
        {
            realm.AcceptTerms(user, ipAddress: "203.0.113.1");
            time.Advance(TimeSpan.FromMilliseconds(1_500));
        }

        var first = await Sync.SyncAsync(RealmName);
        var second = await Sync.SyncAsync(RealmName);
        var records = await ReadAllAsync();

        Assert.That(realm.GetEvents(), Is.Empty, "the realm stored no events");
        Assert.That((first.EventsEnabled, first.Reconciled, second.Reconciled), Is.EqualTo((false, 3, 0)));
        Assert.That(records.Select(record => record.UserId), Is.EqualTo(users.Take(3)));
        Assert.That(records, Has.All.Matches<AcceptanceRecord>(record =>
            record.Source == AcceptanceSource.Timestamp && record.Decision == AcceptanceDecision.Accepted
            && record.ClientId == null && record.IpAddress == null && record.VersionNumber == 1 && record.Username!.StartsWith("user", StringComparison.Ordinal)));
        Assert.That(records.Select(record => record.OccurredAt), Is.EqualTo(new[] { Start, Start.AddSeconds(1), Start.AddSeconds(3) }), "Keycloak keeps seconds");
    }

    [TestCase(true, AcceptanceSource.Event, TestName = "Sync_BuiltInStepWhileANoticeIsInForce_EventRecordedAcknowledgedAndItsTimestampExplained")]
    [TestCase(false, AcceptanceSource.Timestamp, TestName = "Sync_BuiltInStepWhileANoticeIsInForceEventsOff_TimestampRecordedAcknowledged")]
    public async Task Sync_NoticeInForceInAdminApiMode_Acknowledged(bool eventsEnabled, AcceptanceSource source)
    {
        await StartAsync(eventsEnabled: eventsEnabled);
        await PublishAsync(1, Start.AddDays(-10));
        await PublishAsync(2, Start.AddDays(-1), PolicyVersionKind.Notice);
        var userId = realm.AddUser("ana");
        realm.AcceptTerms(userId);
        time.Advance(TimeSpan.FromMinutes(15));

        var result = await Sync.SyncAsync(RealmName);
        var records = await ReadAllAsync(userId);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(record => (record.Decision, record.VersionNumber, record.Source)), Is.EqualTo(new[] { (AcceptanceDecision.Acknowledged, (int?)2, source) }),
                "Keycloak's own terms step while a notice is the version in force: acknowledged, once");
            Assert.That(result.Reconciled, Is.EqualTo(eventsEnabled ? 0 : 1));
        });
    }

    [Test]
    public async Task Sync_EventExpiredBeforeItWasRead_TimestampFillsIn()
    {
        await StartAsync();
        realm.SetSetting("eventsExpiration", 60);
        var userId = realm.AddUser("ana");

        realm.AcceptTerms(userId);
        time.Advance(TimeSpan.FromMinutes(15));
        var result = await Sync.SyncAsync(RealmName);

        Assert.That((result.Recorded, result.Reconciled), Is.EqualTo((0, 1)));
        Assert.That((await ReadAllAsync(userId)).Single().OccurredAt, Is.EqualTo(Start));
    }

    [Test]
    public async Task Sync_AroundAPublicationInstant_ChoosesTheVersionInForce()
    {
        await StartAsync();
        var publication = Start.AddHours(-2).AddMilliseconds(417);
        await PublishAsync(1, Start.AddDays(-30));
        await PublishAsync(2, publication);
        var userId = realm.AddUser("ana");
        var times = new[] { publication.AddMilliseconds(-1), publication, publication.AddMilliseconds(1) };
        realm.AddEventsUnchecked(times.Select(at => TermsEvent(userId, at)));

        await Sync.SyncAsync(RealmName);
        var records = await ReadAllAsync(userId);

        var store = services.GetRequiredService<IPolicyStore>();
        var expected = new List<int?>();
        foreach (var at in times)
        {
            expected.Add((await store.GetEffectiveAsync(RealmName, "privacy", at))?.Number);
        }

        Assert.That(records.Select(record => record.VersionNumber), Is.EqualTo(new int?[] { 1, 2, 2 }));
        Assert.That(records.Select(record => record.VersionNumber), Is.EqualTo(expected), "the store's own rule");
        Assert.That(records.Select(record => record.ContentHash), Is.EqualTo(new[] { "hash-1", "hash-2", "hash-2" }));
    }

    [Test]
    public async Task Sync_BeforeAnyPublication_RecordsWithoutVersion()
    {
        await StartAsync();
        var userId = realm.AddUser("ana");

        realm.AcceptTerms(userId);
        await Sync.SyncAsync(RealmName);

        var record = (await ReadAllAsync(userId)).Single();
        Assert.That((record.VersionNumber, record.ContentHash), Is.EqualTo(((int?)null, (string?)null)));
    }

    [Test]
    public async Task Sync_OtherRequiredActionsAndErrors_AreNotDecisions()
    {
        await StartAsync();
        var userId = realm.AddUser("ana");
        realm.AddEventsUnchecked(
        [
            TermsEvent(userId, Start),
            Event("CUSTOM_REQUIRED_ACTION", userId, Start.AddSeconds(1), "UPDATE_PASSWORD"),
            Event("CUSTOM_REQUIRED_ACTION_ERROR", userId, Start.AddSeconds(2), SimulatedRealm.TermsAction, error: "expired_code"),
        ]);

        var result = await Sync.SyncAsync(RealmName);

        Assert.That((result.EventsRead, result.Recorded), Is.EqualTo((3, 1)));
    }

    [Test]
    public async Task Sync_MillisModeWithMoreEventsInOneMillisecondThanAPage_RecordsThemAll()
    {
        await StartAsync(new LedgerOptions { EventsQuery = EventsQueryMode.Millis, PageSize = 10 });
        var users = SeedUsers(25);
        realm.AddEventsUnchecked(users.Select(user => TermsEvent(user, Start.AddMinutes(-1))));

        var result = await Sync.SyncAsync(RealmName);

        Assert.That(result.Recorded, Is.EqualTo(25));
        Assert.That(simulator.Requests.Where(request => request.Path.EndsWith("/events", StringComparison.Ordinal)).Select(request => Query(request, "direction")),
            Has.All.EqualTo("asc"));
    }

    [Test]
    public async Task Sync_DayMode_AsksFromTheDayBeforeTheWatermarkLessTheOverlap()
    {
        await StartAsync();
        var userId = realm.AddUser("ana");
        realm.AddEventsUnchecked([TermsEvent(userId, new DateTimeOffset(2026, 5, 4, 0, 5, 0, TimeSpan.Zero))]);
        await Sync.SyncAsync(RealmName);
        simulator.ClearRequests();

        await Sync.SyncAsync(RealmName);

        var request = simulator.Requests.First(request => request.Path.EndsWith("/events", StringComparison.Ordinal));
        Assert.That(Query(request, "dateFrom"), Is.EqualTo("2026-05-02"), "00:05 less 10 minutes is May 3rd; one day more for the server's time zone");
        Assert.That(Query(request, "direction"), Is.Null, "26.0 does not know direction");
    }

    private static string? Query(RecordedRequest request, string name) =>
        request.Query.Where(pair => pair.Key == name).Select(pair => pair.Value).FirstOrDefault();

    private LedgerSync Sync => services.GetRequiredService<LedgerSync>();

    private async Task StartAsync(LedgerOptions? options = null, bool eventsEnabled = true)
    {
        time = new FakeTimeProvider(Start);
        var checkOldest = options?.EventsQuery != EventsQueryMode.Millis;
        simulator = KeycloakSimulator.Start(new SimulatorOptions { TimeProvider = time, CheckKeycloak26_0 = checkOldest, MaxRequestLogCount = 10_000 });
        realm = simulator.CreateRealm(RealmName);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", eventsEnabled);
        folder = Path.Combine(Path.GetTempPath(), $"idpbridge-ledger-{Guid.NewGuid():N}");
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddKeycloakAdminClient(keycloak =>
        {
            keycloak.Url = new Uri(simulator.Url);
            keycloak.ClientId = simulator.AdminClientId;
            keycloak.ClientSecret = simulator.AdminClientSecret;
        }).AddHttpMessageHandler(() => new AfterEventsPage(afterEventsPage));
        collection.AddIdpBridgeStorage(storage => storage.SqlitePath = Path.Combine(folder, "idpbridge.db"));
        collection.AddIdpBridgePolicies();
        collection.AddIdpBridgeLedger(ledger =>
        {
            var chosen = options ?? new LedgerOptions();
            ledger.EventsQuery = chosen.EventsQuery;
            ledger.PageSize = chosen.PageSize;
            ledger.RegistrationAcceptsTerms = chosen.RegistrationAcceptsTerms;
        });
        services = collection.BuildServiceProvider();
        await services.GetRequiredService<IStoreDatabase>().MigrateAsync();
    }

    private List<string> SeedUsers(int count)
    {
        realm.SeedUsers(count);
        return [.. realm.UserIds];
    }

    private async Task PublishAsync(int number, DateTimeOffset effectiveAt, PolicyVersionKind kind = PolicyVersionKind.Material)
    {
        var text = new PolicyText("es", "Privacidad", null, $"v{number}", $"sha-{number}");
        var (stored, _) = await services.GetRequiredService<IPolicyStore>().AddAsync(
            new PolicyVersion(RealmName, "privacy", 0, kind, effectiveAt, effectiveAt, $"hash-{number}", [text]));
        Assert.That(stored.Number, Is.EqualTo(number));
    }

    private async Task<List<AcceptanceRecord>> ReadAllAsync(string? user = null) =>
        await services.GetRequiredService<IAcceptanceLedger>().ReadAsync(new LedgerQuery { Realm = RealmName, User = user }).ToListAsync();

    private JsonObject TermsEvent(string userId, DateTimeOffset at) => Event("CUSTOM_REQUIRED_ACTION", userId, at, SimulatedRealm.TermsAction);

    private JsonObject Event(string type, string userId, DateTimeOffset at, string action, string? error = null) => new()
    {
        ["type"] = type,
        ["userId"] = userId,
        ["clientId"] = "account",
        ["ipAddress"] = "192.0.2.1",
        ["time"] = at.ToUnixTimeMilliseconds(),
        ["error"] = error,
        ["details"] = new JsonObject
        {
            ["custom_required_action"] = action,
            ["username"] = realm.GetUser(userId)?["username"]?.GetValue<string>(),
            ["code_id"] = Guid.NewGuid().ToString(),
        },
    };

    /// <summary>Runs the callbacks after each page of events Keycloak answers, as if logins went on meanwhile.</summary>
    private sealed class AfterEventsPage(List<Action> callbacks) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal))
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                foreach (var callback in callbacks)
                {
                    callback();
                }
            }

            return response;
        }
    }
}
