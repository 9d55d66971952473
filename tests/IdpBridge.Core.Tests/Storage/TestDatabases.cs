using System.Globalization;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// Fresh PostgreSQL databases on the shared test server for the store contracts, with every handle opened on each,
/// so the concurrency tests can play several replicas and the tear-down drops them all.
/// </summary>
internal sealed class PostgresTestDatabases : ITestDatabases
{
    private readonly Dictionary<IStoreDatabase, PostgresTestDatabase> databases = [];

    public async Task<IStoreDatabase> CreateAsync()
    {
        var handle = await PostgresServer.CreateSharedDatabaseAsync("store");
        var database = new PostgresDatabase(handle.ConnectionString);
        databases[database] = handle;
        return database;
    }

    public IStoreDatabase OpenAgain(IStoreDatabase database)
    {
        var again = new PostgresDatabase(databases[database].ConnectionString);
        databases[again] = databases[database];
        return again;
    }

    public Task<long> ScalarAsync(IStoreDatabase database, string sql) => StoreSql.ScalarAsync(database, sql);

    /// <summary>Closes every handle on <paramref name="database"/> and drops it.</summary>
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
}

/// <summary>Fresh SQLite files in one temporary folder for the store contracts.</summary>
internal sealed class SqliteTestDatabases : ITestDatabases, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("idpbridge-sqlite-").FullName;

    public string Folder => folder;

    public Task<IStoreDatabase> CreateAsync() => Task.FromResult<IStoreDatabase>(new SqliteDatabase(Path.Combine(folder, $"{Guid.NewGuid():N}.db")));

    public IStoreDatabase OpenAgain(IStoreDatabase database) => new SqliteDatabase(((SqliteDatabase)database).Path);

    /// <summary>Nothing to close: the folder goes at <see cref="Dispose"/>.</summary>
    public Task DisposeAsync(IStoreDatabase database) => Task.CompletedTask;

    public Task<long> ScalarAsync(IStoreDatabase database, string sql) => StoreSql.ScalarAsync(database, sql);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
