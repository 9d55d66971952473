using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The integrity contract on the real PostgreSQL server, a fresh database per test, and what only PostgreSQL has.</summary>
[TestFixture]
public sealed class PostgresLedgerIntegrityTests : LedgerIntegrityContract
{
    private readonly PostgresTestDatabases databases = new();

    protected override ITestDatabases Databases => databases;

    protected override string ReplaceAcceptanceSql =>
        $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}) SELECT realm, event_key, user_id, username, policy, version_number, content_hash, " +
        "'accepted', occurred_at, client_id, ip_address, source, keycloak_event_id, recorded_at, locale_shown FROM acceptances WHERE event_key = 'k1' " +
        "ON CONFLICT (realm, event_key) DO UPDATE SET decision = excluded.decision";

    protected override string ReplaceTextSql =>
        "INSERT INTO policy_texts SELECT version_id, position, locale, title, summary, '# Otra cosa', sha256 FROM policy_texts " +
        "ON CONFLICT (version_id, position) DO UPDATE SET markdown = excluded.markdown";

    protected override string GuardsOffSql => "ALTER TABLE acceptances DISABLE TRIGGER USER; ALTER TABLE policy_texts DISABLE TRIGGER USER";

    [TestCase("acceptances")]
    [TestCase("ledger_prunes")]
    [TestCase("policy_texts")]
    [TestCase("policy_versions")]
    public async Task Truncate_InsertOnlyTable_IsRefused(string table)
    {
        await new AdoAcceptanceLedger((IAdoDatabase)Database).AppendAsync(
            [new AcceptanceRecord(Realm, "u1", "u1", "privacy", null, null, AcceptanceDecision.Accepted, DateTimeOffset.UnixEpoch, null, null, AcceptanceSource.Timestamp, "k1")]);

        Assert.That(() => StoreSql.ScalarAsync(Database, $"TRUNCATE {table} CASCADE"), Throws.Exception.With.Message.Contains("immutable"));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM acceptances"), Is.EqualTo(1));
    }

    [Test]
    public async Task AppendAsync_TwoReplicasAtOnce_ChainOneRealmWithoutABreak()
    {
        var ledgers = new[] { new AdoAcceptanceLedger((IAdoDatabase)Database), new AdoAcceptanceLedger((IAdoDatabase)OpenAgain(Database)) };
        var writers = Enumerable.Range(0, 40).Select(batch => ledgers[batch % 2].AppendAsync(
            Enumerable.Range(0, 25).Select(i => new AcceptanceRecord(
                Realm, $"u{i}", $"u{i}", "privacy", null, null, AcceptanceDecision.Accepted, DateTimeOffset.UnixEpoch.AddSeconds(batch),
                null, null, AcceptanceSource.Timestamp, $"b{batch}-{i}")).ToList()));

        await Task.WhenAll(writers);
        var result = await new LedgerVerifier((IAdoDatabase)Database).VerifyAsync(Realm);

        Assert.That(result.Tampering, Is.Empty);
        Assert.That(result.Records, Is.EqualTo(1_000));
    }

    protected override string OneDayAfter(string column) => $"{column} + interval '1 day'";

    protected override string TimeSql(DateTimeOffset time) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}+00'::timestamptz");
}
