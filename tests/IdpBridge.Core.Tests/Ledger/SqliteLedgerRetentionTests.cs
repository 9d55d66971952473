using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The retention contract on SQLite files, and the guard a tool on the file meets.</summary>
[TestFixture]
public sealed class SqliteLedgerRetentionTests : LedgerRetentionContract
{
    private SqliteTestDatabases files = null!;

    protected override ITestDatabases Databases => files;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    [Test]
    public async Task Delete_ByAToolWithItsOwnPruneFunction_KeepsRecordsYoungerThanTheRetention()
    {
        await using var tool = new SqliteConnection($"Data Source={((SqliteDatabase)Database).Path}");
        await tool.OpenAsync();
        tool.CreateFunction("idpbridge_prune_allows", static (string realm, long id) => 1);
        await using var delete = tool.CreateCommand();
        delete.CommandText = "DELETE FROM acceptances WHERE event_key = 'young'";

        Assert.That(() => delete.ExecuteNonQueryAsync(), Throws.TypeOf<SqliteException>().With.Message.Contains("younger than the retention are never deleted"));
        Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM acceptances"), Is.EqualTo(2));
    }
}
