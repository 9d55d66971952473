using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>
/// The acceptance record and published versions cannot be rewritten through the database's guards, and
/// <see cref="LedgerVerifier"/> catches what is rewritten with the guards off; each test on a fresh database per provider.
/// </summary>
public abstract class LedgerIntegrityContract : StoreContract
{
    private IAcceptanceLedger Ledger { get; set; } = null!;

    private LedgerVerifier Verifier { get; set; } = null!;

    /// <summary>Rewrites the decision of the record with key <c>k1</c> by replacing the row under its existing key.</summary>
    protected abstract string ReplaceAcceptanceSql { get; }

    /// <summary>Rewrites the Markdown of version 1's first text by replacing the row under its existing key.</summary>
    protected abstract string ReplaceTextSql { get; }

    /// <summary>Turns every guard of the acceptances, prune records and policy texts off, as the owner or the file's owner can.</summary>
    protected abstract string GuardsOffSql { get; }

    /// <summary>SQL for a time one day after <paramref name="column"/>.</summary>
    protected abstract string OneDayAfter(string column);

    /// <summary>SQL for the time <paramref name="time"/>, as the provider stores it.</summary>
    protected abstract string TimeSql(DateTimeOffset time);

    [SetUp]
    public void CreateStores()
    {
        Ledger = new AdoAcceptanceLedger((IAdoDatabase)Database);
        Verifier = new LedgerVerifier((IAdoDatabase)Database);
    }

    [Test]
    public async Task ReplaceOfAnAcceptanceUnderItsKey_IsRefused()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Declined)]);

        Assert.That(() => StoreSql.ScalarAsync(Database, ReplaceAcceptanceSql), Throws.Exception.With.Message.Contains("append-only"));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM acceptances WHERE decision = 'declined'"), Is.EqualTo(1));
        Assert.That((await Verifier.VerifyAsync(Realm)).Intact, Is.True);
    }

    [Test]
    public async Task ReplaceOfAPublishedTextUnderItsKey_IsRefused()
    {
        await PublishAsync("# Privacidad\n");

        Assert.That(() => StoreSql.ScalarAsync(Database, ReplaceTextSql), Throws.Exception.With.Message.Contains("immutable"));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM policy_texts WHERE markdown = '# Privacidad\n'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_AfterInsertingAPruneRow_IsStillRefused()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted), Record("k2", "u2", T0, AcceptanceDecision.Accepted)]);

        await StoreSql.ScalarAsync(Database,
            "INSERT INTO ledger_prunes (realm, pruned_before, pruned_at, row_count) SELECT realm, " + OneDayAfter("occurred_at") + ", recorded_at, 2 FROM acceptances LIMIT 1");
        Assert.That(() => StoreSql.ScalarAsync(Database, "DELETE FROM acceptances"), Throws.Exception);
        Assert.That(() => StoreSql.ScalarAsync(Database, "DELETE FROM ledger_prunes"), Throws.Exception);

        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM acceptances"), Is.EqualTo(2));
    }

    [Test]
    public async Task VerifyAsync_UntouchedLedgerAndVersions_IsIntactWithTheNewestRecordAsHead()
    {
        var hash = await PublishAsync("# Privacidad\n");
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted, hash), Record("k2", "u2", T0.AddMinutes(1), AcceptanceDecision.Declined, hash)]);
        await Ledger.AppendAsync([Record("k2", "u2", T0, AcceptanceDecision.Accepted, hash), Record("k3", "u3", T0.AddMinutes(2), AcceptanceDecision.Accepted, hash)]);

        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering, Is.Empty);
        Assert.That((result.Records, result.LegacyRecords, result.Versions), Is.EqualTo((3L, 0L, 1L)));
        Assert.That(result.HeadId, Is.EqualTo(await StoreSql.ScalarAsync(Database, "SELECT max(id) FROM acceptances")));
        Assert.That(result.HeadChainHash, Has.Length.EqualTo(64).And.Not.EqualTo(LedgerChain.Genesis));
    }

    [Test]
    public async Task VerifyAsync_RowUpdatedWithTheGuardsOff_NamesThatRecord()
    {
        await Ledger.AppendAsync(
            [Record("k1", "u1", T0, AcceptanceDecision.Accepted), Record("k2", "u2", T0, AcceptanceDecision.Declined), Record("k3", "u3", T0, AcceptanceDecision.Accepted)]);
        var id = await StoreSql.ScalarAsync(Database, "SELECT id FROM acceptances WHERE event_key = 'k2'");

        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database, "UPDATE acceptances SET decision = 'accepted' WHERE event_key = 'k2'");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering, Has.Count.EqualTo(1));
        Assert.That(result.Tampering[0].Kind, Is.EqualTo("record"));
        Assert.That(result.Tampering[0].Id, Is.EqualTo(id));
        Assert.That(result.Tampering[0].Problem, Does.Contain("fields changed"));
    }

    [Test]
    public async Task VerifyAsync_RowDeletedFromTheMiddle_NamesTheRecordAfterTheGap()
    {
        await Ledger.AppendAsync(
            [Record("k1", "u1", T0, AcceptanceDecision.Accepted), Record("k2", "u2", T0, AcceptanceDecision.Declined), Record("k3", "u3", T0, AcceptanceDecision.Accepted)]);
        var first = await StoreSql.ScalarAsync(Database, "SELECT id FROM acceptances WHERE event_key = 'k1'");
        var third = await StoreSql.ScalarAsync(Database, "SELECT id FROM acceptances WHERE event_key = 'k3'");

        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database, "DELETE FROM acceptances WHERE event_key = 'k2'");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)), Is.EqualTo(new[] { ("record", third) }));
        Assert.That(result.Tampering[0].Problem, Does.Contain($"does not follow record {first}"));
    }

    [Test]
    public async Task VerifyAsync_VersionMarkdownChangedWithTheGuardsOff_NamesTheVersionAndItsText()
    {
        await PublishAsync("# Privacidad\n\nSólo nombre, apellidos y correo.\n");
        var id = await StoreSql.ScalarAsync(Database, "SELECT id FROM policy_versions");

        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database, "UPDATE policy_texts SET markdown = '# Privacidad\n\nY también su teléfono.\n'");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Intact, Is.False);
        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)).Distinct(), Is.EqualTo(new[] { ("version", id) }));
        Assert.That(result.Tampering.Select(found => found.Problem), Has.Some.Contains("text es: its Markdown hashes to").And.Some.Contains("its texts hash to"));
    }

    [Test]
    public async Task VerifyAsync_RowInsertedBySqlWithoutTheChain_IsCaught()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Declined)]);

        await StoreSql.ScalarAsync(Database,
            $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}) SELECT realm, 'forged', user_id, username, policy, version_number, content_hash, " +
            "'accepted', occurred_at, client_id, ip_address, source, keycloak_event_id, recorded_at, locale_shown FROM acceptances");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => found.Problem), Is.EqualTo(new[] { "has no chain hash: it was written outside IdpBridge, with the guards off" }));
    }

    [Test]
    public async Task AppendAsync_RecordWithoutLocale_KeepsTheHashItHadBeforeSchema10()
    {
        // The fields of LedgerChainTests' golden record: its idpbridge-acceptance/1 hash, computed by hand from the spec.
        var record = new AcceptanceRecord(Realm, "u1", "ana", Policy, 1, new string('a', 64), AcceptanceDecision.Accepted, T0, "account", "192.0.2.7",
            AcceptanceSource.Event, "k1") { RecordedAt = T0 };

        await Ledger.AppendAsync([record]);

        Assert.That(await StoredHashAsync("k1"), Is.EqualTo(LedgerChainTests.GoldenWithoutLocale));
        Assert.That((await Verifier.VerifyAsync(Realm)).Intact, Is.True);
    }

    [Test]
    public async Task VerifyAsync_RecordsWithAndWithoutLocale_IntactAndTheLocaleIsHashed()
    {
        var record = new AcceptanceRecord(Realm, "u1", "ana", Policy, 1, new string('a', 64), AcceptanceDecision.Accepted, T0, "account", "192.0.2.7",
            AcceptanceSource.Event, "k1", LocaleShown: "es") { RecordedAt = T0 };

        await Ledger.AppendAsync([record, Record("k2", "u2", T0, AcceptanceDecision.Accepted)]);
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(await StoredHashAsync("k1"), Is.EqualTo(LedgerChainTests.GoldenWithLocaleEs));
        Assert.That(result.Tampering, Is.Empty);
        Assert.That(result.Records, Is.EqualTo(2));
    }

    [TestCase("k1", "'en'", TestName = "VerifyAsync_LocaleChangedWithTheGuardsOff_NamesThatRecord")]
    [TestCase("k1", "NULL", TestName = "VerifyAsync_LocaleRemovedWithTheGuardsOff_NamesThatRecord")]
    [TestCase("k2", "'es'", TestName = "VerifyAsync_LocaleAddedWithTheGuardsOff_NamesThatRecord")]
    public async Task VerifyAsync_LocaleRewrittenWithTheGuardsOff_NamesThatRecord(string key, string locale)
    {
        // k1 was shown in es, k2 (like every record before schema 10) names no locale.
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Accepted) with { LocaleShown = "es" }, Record("k2", "u2", T0, AcceptanceDecision.Accepted)]);
        var id = await StoreSql.ScalarAsync(Database, $"SELECT id FROM acceptances WHERE event_key = '{key}'");

        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database, $"UPDATE acceptances SET locale_shown = {locale} WHERE event_key = '{key}'");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)), Is.EqualTo(new[] { ("record", id) }));
        Assert.That(result.Tampering[0].Problem, Does.Contain("fields changed"));
    }

    [Test]
    public async Task PruneAsync_OldestRecords_GoInIdOrderAndTheRestStillVerifies()
    {
        await Ledger.AppendAsync(
        [
            Record("old1", "u1", T0, AcceptanceDecision.Accepted),
            Record("old2", "u2", T0, AcceptanceDecision.Accepted),
            Record("young", "u3", T0.AddDays(30), AcceptanceDecision.Accepted),
            Record("old-but-later", "u4", T0, AcceptanceDecision.Accepted),
        ]);

        var pruned = await Ledger.PruneAsync(Realm, T0.AddDays(1), T0.AddDays(400));
        await Ledger.AppendAsync([Record("after", "u5", T0.AddDays(40), AcceptanceDecision.Declined)]);
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(pruned, Is.EqualTo(2), "a record that follows a younger one waits for it");
        Assert.That(await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync(),
            Is.EquivalentTo(new[] { "young", "old-but-later", "after" }));
        Assert.That(result.Tampering, Is.Empty);
        Assert.That(result.Records, Is.EqualTo(3));
        Assert.That(result.PrunedThroughId, Is.EqualTo(await StoreSql.ScalarAsync(Database, "SELECT min(id) FROM acceptances") - 1));
    }

    [Test]
    public async Task VerifyAsync_FirstRecordAfterAPruneDeleted_IsCaught()
    {
        await Ledger.AppendAsync(
        [
            Record("old", "u1", T0, AcceptanceDecision.Accepted),
            Record("k2", "u2", T0.AddDays(30), AcceptanceDecision.Accepted),
            Record("k3", "u3", T0.AddDays(30), AcceptanceDecision.Accepted),
        ]);
        await Ledger.PruneAsync(Realm, T0.AddDays(1), T0.AddDays(400));
        var third = await StoreSql.ScalarAsync(Database, "SELECT id FROM acceptances WHERE event_key = 'k3'");

        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database, "DELETE FROM acceptances WHERE event_key = 'k2'");
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)), Is.EqualTo(new[] { ("record", third) }));
        Assert.That(result.Tampering[0].Problem, Does.Contain("last prune's anchor"));
    }

    [Test]
    public async Task VerifyAsync_ForgedPruneOfRecordsYoungerThanADay_NamesThePrune()
    {
        await Ledger.AppendAsync([
            Record("k1", "u1", T0, AcceptanceDecision.Declined),
            Record("k2", "u2", T0, AcceptanceDecision.Declined),
            Record("k3", "u3", T0.AddMinutes(5), AcceptanceDecision.Accepted),
        ]);

        var prune = await ForgePruneAsync("k2", before: T0.AddMinutes(1), ranAt: T0.AddMinutes(2));
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)), Is.EqualTo(new[] { ("prune", prune) }), "the chain itself follows the forged anchor");
        Assert.That(result.Tampering[0].Problem, Does.Contain("less than a day before it ran"));
    }

    [Test]
    public async Task VerifyAsync_ForgedPruneThatRanInTheFuture_NamesThePrune()
    {
        await Ledger.AppendAsync([Record("k1", "u1", T0, AcceptanceDecision.Declined), Record("k2", "u2", T0.AddDays(30), AcceptanceDecision.Accepted)]);

        var ranAt = TimeProvider.System.GetUtcNow().AddDays(30);
        var prune = await ForgePruneAsync("k1", before: ranAt.AddDays(-365), ranAt: ranAt);
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id, found.Problem.Contains("no prune runs in the future", StringComparison.Ordinal))),
            Has.Member(("prune", prune, true)));
    }

    [Test]
    public async Task VerifyAsync_ForgedPruneThatStopsBeforeAnOlderRecord_NamesThePruneAndThatRecord()
    {
        await Ledger.AppendAsync([
            Record("k1", "u1", T0, AcceptanceDecision.Declined),
            Record("k2", "u2", T0, AcceptanceDecision.Accepted),
            Record("k3", "u3", T0.AddDays(30), AcceptanceDecision.Accepted),
        ]);
        var second = await StoreSql.ScalarAsync(Database, "SELECT id FROM acceptances WHERE event_key = 'k2'");

        var prune = await ForgePruneAsync("k1", before: T0.AddDays(1), ranAt: T0.AddDays(400));
        var result = await Verifier.VerifyAsync(Realm);

        Assert.That(result.Tampering.Select(found => (found.Kind, found.Id)), Is.EqualTo(new[] { ("prune", prune) }));
        Assert.That(result.Tampering[0].Problem, Does.Contain($"stopped before record {second}, which occurred before its cut-off"));
    }

    /// <summary>
    /// What someone with the owner's rights could do: record a prune of the realm's records up to the one with
    /// <paramref name="throughKey"/>, anchored at its chain hash as a real prune would, then delete them with the guards
    /// off. Returns the forged prune's id.
    /// </summary>
    private async Task<long> ForgePruneAsync(string throughKey, DateTimeOffset before, DateTimeOffset ranAt)
    {
        await StoreSql.ScalarAsync(Database, GuardsOffSql);
        await StoreSql.ScalarAsync(Database,
            "INSERT INTO ledger_prunes (realm, pruned_before, pruned_at, row_count, through_id, chain_hash) " +
            $"SELECT realm, {TimeSql(before)}, {TimeSql(ranAt)}, (SELECT count(*) FROM acceptances b WHERE b.id <= a.id), id, chain_hash " +
            $"FROM acceptances a WHERE event_key = '{throughKey}'");
        var prune = await StoreSql.ScalarAsync(Database, "SELECT max(id) FROM ledger_prunes");
        await StoreSql.ScalarAsync(Database, $"DELETE FROM acceptances WHERE id <= (SELECT through_id FROM ledger_prunes WHERE id = {prune})");
        return prune;
    }

    private async Task<string> StoredHashAsync(string key)
    {
        await using var connection = await ((IAdoDatabase)Database).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT record_hash FROM acceptances WHERE event_key = '{key}'";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Publishes version 1 of the realm's privacy policy; returns its content hash.</summary>
    private async Task<string> PublishAsync(string markdown)
    {
        var text = new PolicyText("es", "Privacidad", null, markdown, PolicyDocumentReader.Sha256Hex(markdown));
        var hash = PolicyVersionBuilder.ContentHash([text]);
        await new AdoPolicyStore((IAdoDatabase)Database).AddAsync(new PolicyVersion(Realm, Policy, 0, PolicyVersionKind.Material, T0, T0, hash, [text]));
        return hash;
    }

    private static AcceptanceRecord Record(string key, string userId, DateTimeOffset at, AcceptanceDecision decision, string contentHash = "h1") =>
        new(Realm, userId, userId, Policy, 1, contentHash, decision, at, "account", "192.0.2.7", AcceptanceSource.Event, key)
        {
            RecordedAt = at,
        };
}
