using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The ledger contract on a real PostgreSQL server, a fresh database per test, the ledger logged in as the restricted service role.</summary>
[TestFixture]
public sealed class PostgresLedgerStoreTests : LedgerStoreContract
{
    private readonly PostgresTestDatabases databases = new();

    [Test]
    public async Task AppendAsync_ThousandsInOneBatch_KeepsTheBatchOrderInIds()
    {
        var records = Enumerable.Range(0, 5_000).Select(i => Record($"k{i}", $"u{i % 7}", T0, AcceptanceDecision.Accepted)).ToList();

        var added = await Ledger.AppendAsync(records);
        var keys = await Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync();

        Assert.That(added, Is.EqualTo(5_000));
        Assert.That(keys, Is.EqualTo(records.Select(record => record.EventKey)));
    }

    protected override Task<IStoreDatabase> CreateDatabaseAsync() => databases.CreateAsync();

    protected override IAcceptanceLedger CreateLedger(IStoreDatabase database) => new AdoAcceptanceLedger((IAdoDatabase)database);

    protected override Task DisposeDatabaseAsync(IStoreDatabase database) => databases.DisposeAsync(database);
}
