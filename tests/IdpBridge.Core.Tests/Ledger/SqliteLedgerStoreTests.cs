using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

[TestFixture]
public sealed class SqliteLedgerStoreTests : LedgerStoreContract
{
    private string folder = null!;

    [OneTimeSetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("idpbridge-ledger-").FullName;

    [OneTimeTearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    protected override Task<IStoreDatabase> CreateDatabaseAsync() =>
        Task.FromResult<IStoreDatabase>(new SqliteDatabase(Path.Combine(folder, $"{Guid.NewGuid():N}.db"), Storage.TestRetention.Days));

    protected override IAcceptanceLedger CreateLedger(IStoreDatabase database) => new AdoAcceptanceLedger((IAdoDatabase)database);

    protected override Task DisposeDatabaseAsync(IStoreDatabase database) => Task.CompletedTask;
}
