using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The ledger contract on a real PostgreSQL server, a fresh database per test.</summary>
[TestFixture]
public sealed class PostgresLedgerStoreTests : LedgerStoreContract
{
    private readonly Dictionary<IStoreDatabase, PostgresTestDatabase> databases = [];

    [Test]
    public async Task AppendAsync_ThousandsInOneBatch_KeepsTheBatchOrderInIds()
    {
        var records = Enumerable.Range(0, 5_000).Select(i => Record($"k{i}", $"u{i % 7}", T0, AcceptanceDecision.Accepted)).ToList();

        var added = await Ledger.AppendAsync(records);
        var keys = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync();

        Assert.That(added, Is.EqualTo(5_000));
        Assert.That(keys, Is.EqualTo(records.Select(record => record.EventKey)));
    }

    protected override async Task<IStoreDatabase> CreateDatabaseAsync()
    {
        var handle = await PostgresServer.CreateSharedDatabaseAsync("ledger");
        var database = new PostgresDatabase(handle.ConnectionString);
        databases[database] = handle;
        return database;
    }

    protected override IAcceptanceLedger CreateLedger(IStoreDatabase database) => new AdoAcceptanceLedger((IAdoDatabase)database);

    protected override async Task DisposeDatabaseAsync(IStoreDatabase database)
    {
        await ((PostgresDatabase)database).DisposeAsync();
        await databases[database].DisposeAsync();
        databases.Remove(database);
    }
}
