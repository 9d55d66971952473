using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The integrity contract on SQLite files, a fresh one per test.</summary>
[TestFixture]
public sealed class SqliteLedgerIntegrityTests : LedgerIntegrityContract
{
    private SqliteTestDatabases files = null!;

    protected override string ReplaceAcceptanceSql =>
        "INSERT OR REPLACE INTO acceptances SELECT id, realm, event_key, user_id, username, policy, version_number, content_hash, 'accepted', " +
        "occurred_at, client_id, ip_address, source, keycloak_event_id, recorded_at, record_hash, chain_hash, locale_shown FROM acceptances WHERE event_key = 'k1'";

    protected override string ReplaceTextSql =>
        "REPLACE INTO policy_texts SELECT version_id, position, locale, title, summary, '# Otra cosa', sha256 FROM policy_texts";

    protected override string GuardsOffSql =>
        "DROP TRIGGER acceptances_immutable_update; DROP TRIGGER acceptances_guarded_delete; DROP TRIGGER acceptances_retention_floor; " +
        "DROP TRIGGER ledger_prunes_retention_floor; DROP TRIGGER policy_texts_immutable_update";

    [Test]
    public async Task Delete_FromAnotherToolOnTheFile_IsRefusedForWantOfThePruneFunction()
    {
        await new AdoAcceptanceLedger((IAdoDatabase)Database).AppendAsync(
            [new AcceptanceRecord(Realm, "u1", "u1", "privacy", null, null, AcceptanceDecision.Accepted, DateTimeOffset.UnixEpoch, null, null, AcceptanceSource.Timestamp, "k1")]);

        await using var shell = new SqliteConnection($"Data Source={((SqliteDatabase)Database).Path}");
        await shell.OpenAsync();
        await using var delete = shell.CreateCommand();
        delete.CommandText = "DELETE FROM acceptances";

        Assert.That(() => delete.ExecuteNonQueryAsync(), Throws.TypeOf<SqliteException>().With.Message.Contains("no such function: idpbridge_prune_allows"));
        Assert.That(await StoreSql.ScalarAsync(Database, "SELECT count(*) FROM acceptances"), Is.EqualTo(1));
    }

    protected override ITestDatabases Databases => files;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    protected override string OneDayAfter(string column) => $"{column} + 86400000";

    protected override string TimeSql(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
