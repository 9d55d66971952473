using System.Data.Common;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// What the provider throws leaves every store as a <see cref="StorageException"/> naming the setting, the provider's
/// exception kept as its cause: here the tables are gone, so every statement fails inside SQLite.
/// </summary>
[TestFixture]
public sealed class StorageBoundaryTests
{
    private SqliteTestDatabases files = null!;
    private SqliteDatabase database = null!;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    [SetUp]
    public async Task BreakDatabase()
    {
        database = new SqliteDatabase(Path.Combine(files.Folder, $"{Guid.NewGuid():N}.db"));
        await database.MigrateAsync();
        await using var connection = await database.OpenConnectionAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = "PRAGMA foreign_keys = OFF; DROP TABLE policy_texts; DROP TABLE policy_versions; DROP TABLE rollout_users; " +
            "DROP TABLE rollouts; DROP TABLE ledger_watermarks; DROP TABLE acceptances;";
        await drop.ExecuteNonQueryAsync();
    }

    [Test]
    public void PolicyStore_DatabaseFails_ThrowsStorageExceptionNamingTheSetting() =>
        AssertTranslated(() => new AdoPolicyStore(database).ListRealmsAsync());

    [Test]
    public void RolloutStore_DatabaseFails_ThrowsStorageExceptionNamingTheSetting() =>
        AssertTranslated(() => new AdoRolloutStore(database).ListAsync(null));

    [Test]
    public void Ledger_DatabaseFails_ThrowsStorageExceptionNamingTheSetting() =>
        AssertTranslated(() => new AdoAcceptanceLedger(database).GetWatermarkAsync("externos"));

    [Test]
    public void LedgerStream_DatabaseFails_ThrowsStorageExceptionNamingTheSetting() =>
        AssertTranslated(async () =>
        {
            // Streams fail while enumerated, not when asked for: the boundary guards each step.
            await using var rows = new AdoAcceptanceLedger(database)
                .FirstAcceptancesAsync("externos", "privacy", 1).GetAsyncEnumerator();
            await rows.MoveNextAsync();
        });

    private void AssertTranslated(Func<Task> operation)
    {
        var exception = Assert.ThrowsAsync<StorageException>(async () => await operation());

        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:SqlitePath").And.Contain(database.Path));
        Assert.That(exception.InnerException, Is.InstanceOf<DbException>().And.InstanceOf<SqliteException>());
    }
}
