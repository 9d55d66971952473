using IdpBridge.Core.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The rollout store contract on a fresh SQLite file per test.</summary>
[TestFixture]
public sealed class SqliteRolloutStoreTests : RolloutStoreContract
{
    private SqliteTestDatabases files = null!;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    protected override Task<IStoreDatabase> CreateDatabaseAsync() => Task.FromResult(files.Create());

    protected override IStoreDatabase OpenAgain(IStoreDatabase database) => SqliteTestDatabases.OpenAgain(database);

    protected override Task<long> ScalarAsync(IStoreDatabase database, string sql) => SqliteTestDatabases.ScalarAsync(database, sql);

    protected override Task DisposeDatabaseAsync(IStoreDatabase database) => Task.CompletedTask;
}
