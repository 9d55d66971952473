using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>What every <see cref="IAcceptanceLedger"/> must do, run against each provider on a fresh database per test.</summary>
public abstract class LedgerStoreContract
{
    protected const string Realm = "externos";

    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    protected IStoreDatabase Database { get; private set; } = null!;

    protected IAcceptanceLedger Ledger { get; private set; } = null!;

    protected abstract Task<IStoreDatabase> CreateDatabaseAsync();

    protected abstract IAcceptanceLedger CreateLedger(IStoreDatabase database);

    protected abstract Task DisposeDatabaseAsync(IStoreDatabase database);

    [SetUp]
    public async Task CreateFreshDatabase()
    {
        Database = await CreateDatabaseAsync();
        await Database.MigrateAsync();
        Ledger = CreateLedger(Database);
    }

    [TearDown]
    public async Task DeleteDatabase() => await DisposeDatabaseAsync(Database);

    [Test]
    public async Task AppendAsync_Record_ReadsBackExactly()
    {
        var record = Record("k1", "u1", T0, AcceptanceDecision.Accepted) with
        {
            Username = "josé.o'brien, \"el\" ñandú",
            KeycloakEventId = "ev-1",
            RecordedAt = T0.AddMinutes(1),
        };

        var added = await Ledger.AppendAsync([record]);
        var read = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).ToListAsync();

        Assert.That(added, Is.EqualTo(1));
        Assert.That(read, Has.Count.EqualTo(1));
        Assert.That(read[0] with { Id = 0 }, Is.EqualTo(record));
        Assert.That(read[0].Id, Is.Positive);
        Assert.That(read[0].OccurredAt.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task AppendAsync_RecordWithTheLocaleShown_ReadsBackWithItBesideOneWithout()
    {
        var shown = Record("k1", "u1", T0, AcceptanceDecision.Accepted) with { LocaleShown = "pt-BR", RecordedAt = T0.AddMinutes(1) };
        var builtIn = Record("k2", "u2", T0.AddSeconds(1), AcceptanceDecision.Accepted) with { RecordedAt = T0.AddMinutes(1) };

        await Ledger.AppendAsync([shown, builtIn]);
        var read = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).ToListAsync();

        Assert.That(read.Select(record => record with { Id = 0 }), Is.EqualTo(new[] { shown, builtIn }));
        Assert.That(read.Select(record => record.LocaleShown), Is.EqualTo(new[] { "pt-BR", null }));
    }

    [TestCase("", TestName = "AppendAsync_LocaleShownEmpty_IsRefusedBeforeTheDatabase")]
    [TestCase("es_ES", TestName = "AppendAsync_LocaleShownNotALanguageTag_IsRefusedBeforeTheDatabase")]
    [TestCase("es-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaa", TestName = "AppendAsync_LocaleShownOver35Characters_IsRefusedBeforeTheDatabase")]
    public async Task AppendAsync_LocaleShownOutOfShape_IsRefusedBeforeTheDatabase(string locale)
    {
        Assert.That(() => Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted) with { LocaleShown = locale }]),
            Throws.ArgumentException.With.Message.Contains("locale shown"));
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).CountAsync(), Is.Zero);
    }

    [Test]
    public async Task LocaleShown_Over35CharactersBySql_IsRefusedByTheDatabase()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted)]);

        Assert.That(() => StoreSql.ScalarAsync(Database,
            $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}) SELECT realm, 'k2', user_id, username, policy, version_number, content_hash, decision, " +
            $"occurred_at, client_id, ip_address, source, keycloak_event_id, recorded_at, '{new string('a', 36)}' FROM acceptances"),
            Throws.Exception.With.Message.Contains("locale_shown"));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM acceptances"), Is.EqualTo(1));
    }

    [Test]
    public async Task AppendAsync_SameKeyTwiceAcrossAndWithinBatches_StoresOnce()
    {
        var record = Record("k1", "u1", T0, AcceptanceDecision.Accepted);

        var first = await Ledger.AppendAsync([record, record]);
        var second = await Ledger.AppendAsync([record, Record("k2", "u1", T0.AddSeconds(1), AcceptanceDecision.Declined)]);

        Assert.That((first, second), Is.EqualTo((1, 1)));
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).CountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task AppendAsync_SameKeyInAnotherRealm_IsAnotherRecord()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted)]);

        var added = await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted) with { Realm = "otro" }]);

        Assert.That(added, Is.EqualTo(1));
    }

    [Test]
    public async Task ReadAsync_FiltersByTimeAndUser_OldestFirst()
    {
        await Ledger.AppendAsync(
        [
            Record("k3", "u1", T0.AddHours(3), AcceptanceDecision.Accepted),
            Record("k1", "u1", T0, AcceptanceDecision.Declined),
            Record("k2", "u2", T0.AddHours(1), AcceptanceDecision.Accepted) with { Username = "ana" },
        ]);

        var all = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync();
        var window = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm, From = T0.AddHours(1), To = T0.AddHours(3) }).Select(record => record.EventKey).ToListAsync();
        var byId = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm, User = "u1" }).Select(record => record.EventKey).ToListAsync();
        var byName = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm, User = "ana" }).Select(record => record.EventKey).ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(new[] { "k1", "k2", "k3" }));
            Assert.That(window, Is.EqualTo(new[] { "k2" }), "from inclusive, to exclusive");
            Assert.That(byId, Is.EqualTo(new[] { "k1", "k3" }));
            Assert.That(byName, Is.EqualTo(new[] { "k2" }));
        });
    }

    [Test]
    public async Task Records_HandUpdateOrDelete_IsRefusedByTheDatabase()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Declined)]);

        Assert.That(() => StoreSql.ScalarAsync(Database, "UPDATE acceptances SET decision = 'accepted'"), Throws.Exception.With.Message.Contains("append-only"));
        Assert.That(() => StoreSql.ScalarAsync(Database, "DELETE FROM acceptances"), Throws.Exception.With.Message.Contains("append-only"));
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.Decision).ToListAsync(), Is.EqualTo(new[] { AcceptanceDecision.Declined }));
    }

    [Test]
    public async Task PruneAsync_DeletesOnlyOlderRecordsOfTheRealmAndRecordsThePrune()
    {
        await Ledger.AppendAsync(
        [
            Record("old", "u1", T0, AcceptanceDecision.Accepted),
            Record("new", "u1", T0.AddDays(10), AcceptanceDecision.Accepted),
            Record("other", "u1", T0, AcceptanceDecision.Accepted) with { Realm = "otro" },
        ]);

        var pruned = await Ledger.PruneAsync(Realm, T0.AddDays(1), T0.AddDays(400));

        Assert.That(pruned, Is.EqualTo(1));
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync(), Is.EqualTo(new[] { "new" }));
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = "otro" }).CountAsync(), Is.EqualTo(1));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT row_count FROM ledger_prunes"), Is.EqualTo(1));
        Assert.That(() => StoreSql.ScalarAsync(Database, "DELETE FROM ledger_prunes"), Throws.Exception);
        Assert.That(() => StoreSql.ScalarAsync(Database, "DELETE FROM acceptances"), Throws.Exception.With.Message.Contains("append-only"), "the prune covers only older records");
    }

    [Test]
    public async Task AdvanceWatermarkAsync_NeverMovesBack()
    {
        Assert.That(await Ledger.GetWatermarkAsync(Realm), Is.Null);

        await Ledger.AdvanceWatermarkAsync(Realm, T0.AddHours(2), T0);
        await Ledger.AdvanceWatermarkAsync(Realm, T0.AddHours(1), T0);

        Assert.That(await Ledger.GetWatermarkAsync(Realm), Is.EqualTo(T0.AddHours(2)));
        Assert.That(await Ledger.GetWatermarkAsync("otro"), Is.Null);
    }

    [Test]
    public async Task FindKeysAsync_SomeKeysStored_ReturnsThoseOfTheRealmOnly()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted), Record("k2", "u2", T0, AcceptanceDecision.Declined)]);

        var found = await Ledger.FindKeysAsync(Realm, ["k1", "k2", "k3"]);
        var elsewhere = await Ledger.FindKeysAsync("otro", ["k1"]);
        var none = await Ledger.FindKeysAsync(Realm, []);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EquivalentTo(new[] { "k1", "k2" }));
            Assert.That(elsewhere, Is.Empty);
            Assert.That(none, Is.Empty);
        });
    }

    [Test]
    public async Task FindAcceptedWithinAsync_MatchesOnlyAcceptancesInTheWindow()
    {
        await Ledger.AppendAsync(
        [
            Record("k1", "accepted", T0, AcceptanceDecision.Accepted),
            Record("k2", "declined", T0, AcceptanceDecision.Declined),
            Record("k3", "later", T0.AddMinutes(5), AcceptanceDecision.Accepted),
        ]);

        var found = await Ledger.FindAcceptedWithinAsync(Realm,
        [
            ("accepted", T0.AddSeconds(-1), T0.AddSeconds(60)),
            ("declined", T0.AddSeconds(-1), T0.AddSeconds(60)),
            ("later", T0.AddSeconds(-1), T0.AddSeconds(60)),
            ("nobody", T0.AddSeconds(-1), T0.AddSeconds(60)),
        ]);

        Assert.That(found, Is.EquivalentTo(new[] { "accepted" }));
    }

    [Test]
    public async Task TallyAsync_CountsDistinctUsersAndDeclinesNotFollowedByAcceptance()
    {
        await Ledger.AppendAsync(
        [
            Record("a1", "ana", T0, AcceptanceDecision.Accepted),
            Record("a2", "ana", T0.AddDays(1), AcceptanceDecision.Accepted),
            Record("b1", "beto", T0, AcceptanceDecision.Declined),
            Record("b2", "beto", T0.AddMinutes(1), AcceptanceDecision.Accepted),
            Record("c1", "carla", T0, AcceptanceDecision.Declined),
            Record("c2", "carla", T0.AddMinutes(1), AcceptanceDecision.Declined),
            Record("d1", "dario", T0, AcceptanceDecision.Accepted) with { VersionNumber = 2, ContentHash = "h2" },
        ]);

        var tally = await Ledger.TallyAsync(Realm, "privacy", 1);
        var firsts = await Ledger.FirstAcceptancesAsync(Realm, "privacy", 1).ToListAsync();

        Assert.That(tally, Is.EqualTo(new LedgerTally(AcceptedUsers: 2, DeclinedUsers: 1, Records: 6)));
        Assert.That(firsts, Is.EquivalentTo(new[] { ("ana", T0), ("beto", T0.AddMinutes(1)) }));
    }

    [Test]
    public async Task Acknowledged_NoticeDecision_IsStoredReadBackTalliedAndExplainsATimestamp()
    {
        await Ledger.AppendAsync(
        [
            Record("n1", "ana", T0, AcceptanceDecision.Acknowledged) with { VersionNumber = 4, ContentHash = "h4" },
            Record("n2", "beto", T0, AcceptanceDecision.Acknowledged) with { VersionNumber = 4, ContentHash = "h4" },
            Record("n3", "beto", T0.AddDays(1), AcceptanceDecision.Acknowledged) with { VersionNumber = 4, ContentHash = "h4" },
        ]);

        var read = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm, User = "ana" }).ToListAsync();
        var tally = await Ledger.TallyAsync(Realm, "privacy", 4);
        // Keycloak's own terms step sets terms_and_conditions for a notice too: the record explains that second.
        var explained = await Ledger.FindAcceptedWithinAsync(Realm, [("ana", T0.AddSeconds(-1), T0.AddSeconds(1))]);

        Assert.Multiple(() =>
        {
            Assert.That(read.Select(record => (record.Decision, record.VersionNumber, record.ContentHash)),
                Is.EqualTo(new[] { (AcceptanceDecision.Acknowledged, (int?)4, (string?)"h4") }));
            Assert.That(tally, Is.EqualTo(new LedgerTally(AcceptedUsers: 0, DeclinedUsers: 0, Records: 3, AcknowledgedUsers: 2)));
            Assert.That(explained, Is.EquivalentTo(new[] { "ana" }));
        });
    }

    [Test]
    public async Task Decision_OutsideTheKnownOnes_IsRefusedByTheDatabase()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted)]);

        Assert.That(() => StoreSql.ScalarAsync(Database,
            "INSERT INTO acceptances (realm, event_key, user_id, policy, decision, occurred_at, source, recorded_at) " +
            "SELECT realm, 'k2', user_id, policy, 'maybe', occurred_at, source, recorded_at FROM acceptances"),
            Throws.Exception.With.Message.Contains("decision"));
    }

    protected static AcceptanceRecord Record(string key, string userId, DateTimeOffset at, AcceptanceDecision decision) =>
        new(Realm, userId, userId, "privacy", 1, "h1", decision, at, "account", "192.0.2.7", AcceptanceSource.Event, key)
        {
            RecordedAt = at,
        };
}
