using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Microsoft.Data.Sqlite;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// The retention the test databases are migrated with (<c>IdpBridge:Ledger:RetentionDays</c>), which the database holds
/// every prune to: a year, so the contracts' prunes of records from early 2025 are allowed and a prune of last month's
/// records is not.
/// </summary>
internal static class TestRetention
{
    public const int Days = 365;
}

/// <summary>
/// Fresh PostgreSQL databases on the shared test server for the store contracts, set up for least privilege as the
/// README says: each migrated through its owner's connection, the stores logged in as the restricted service role the
/// migration grants (so a store operation the grants miss fails its test), raw SQL run as the owner. Every handle
/// opened on a database is kept, so the concurrency tests can play several replicas and the tear-down drops them all.
/// </summary>
internal sealed class PostgresTestDatabases : ITestDatabases
{
    private readonly Dictionary<IStoreDatabase, PostgresRoleDatabase> databases = [];

    public async Task<IStoreDatabase> CreateAsync()
    {
        var handle = await PostgresRoleDatabase.CreateSharedAsync("store");
        return Open(handle);
    }

    public IStoreDatabase OpenAgain(IStoreDatabase database, int retentionDays = TestRetention.Days) => Open(databases[database], retentionDays);

    public IStoreDatabase OpenAsOwner(IStoreDatabase database)
    {
        var handle = databases[database];
        var owner = new PostgresDatabase(handle.OwnerConnectionString, retentionDays: TestRetention.Days);
        databases[owner] = handle;
        return owner;
    }

    public Task<long> ScalarAsync(IStoreDatabase database, string sql) => StoreSql.ScalarAsync(database, sql);

    /// <summary>Closes every handle on <paramref name="database"/> and drops it with its roles.</summary>
    public async Task DisposeAsync(IStoreDatabase database)
    {
        if (!databases.TryGetValue(database, out var handle))
        {
            return;
        }

        foreach (var (other, _) in databases.Where(entry => ReferenceEquals(entry.Value, handle)).ToList())
        {
            await ((PostgresDatabase)other).DisposeAsync();
            databases.Remove(other);
        }

        await handle.DisposeAsync();
    }

    private PostgresDatabase Open(PostgresRoleDatabase handle, int retentionDays = TestRetention.Days)
    {
        var database = new PostgresDatabase(handle.ServiceConnectionString, handle.OwnerConnectionString, retentionDays);
        StoreSql.UseOwnerFor(database, handle.OwnerConnectionString);
        databases[database] = handle;
        return database;
    }
}

/// <summary>Fresh SQLite files in one temporary folder for the store contracts.</summary>
internal sealed class SqliteTestDatabases : ITestDatabases, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("idpbridge-sqlite-").FullName;

    public string Folder => folder;

    public Task<IStoreDatabase> CreateAsync() =>
        Task.FromResult<IStoreDatabase>(new SqliteDatabase(Path.Combine(folder, $"{Guid.NewGuid():N}.db"), TestRetention.Days));

    public IStoreDatabase OpenAgain(IStoreDatabase database, int retentionDays = TestRetention.Days) =>
        new SqliteDatabase(((SqliteDatabase)database).Path, retentionDays);

    public IStoreDatabase OpenAsOwner(IStoreDatabase database) => OpenAgain(database);

    /// <summary>Nothing to close: the folder goes at <see cref="Dispose"/>.</summary>
    public Task DisposeAsync(IStoreDatabase database) => Task.CompletedTask;

    public Task<long> ScalarAsync(IStoreDatabase database, string sql) => StoreSql.ScalarAsync(database, sql);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
