using IdpBridge.Core.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>Fresh databases of one provider for the store contracts.</summary>
public interface ITestDatabases
{
    /// <summary>A new, empty (unmigrated) database.</summary>
    Task<IStoreDatabase> CreateAsync();

    /// <summary>
    /// A second handle on the same database, as a second process or replica would open it, configured with
    /// <paramref name="retentionDays"/> (which its migration writes).
    /// </summary>
    IStoreDatabase OpenAgain(IStoreDatabase database, int retentionDays = TestRetention.Days);

    /// <summary>Runs SQL on the database directly, bypassing the stores.</summary>
    Task<long> ScalarAsync(IStoreDatabase database, string sql);

    /// <summary>
    /// A handle logged in as the schema's owner, for a schema made by hand rather than by IdpBridge's migration (which
    /// alone grants the service's role its rights); on SQLite, which has no roles, another handle.
    /// </summary>
    IStoreDatabase OpenAsOwner(IStoreDatabase database);

    /// <summary>Closes every handle on the database and deletes it.</summary>
    Task DisposeAsync(IStoreDatabase database);
}

/// <summary>What the store contracts share: a fresh, migrated database of the provider per test.</summary>
public abstract class StoreContract
{
    protected const string Realm = "externos";
    protected const string Policy = "privacy";

    /// <summary>12:00:00.123 UTC: times carry milliseconds so the tests see them kept.</summary>
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    protected IStoreDatabase Database { get; private set; } = null!;

    /// <summary>The provider's databases.</summary>
    protected abstract ITestDatabases Databases { get; }

    [SetUp]
    public async Task CreateFreshDatabase()
    {
        Database = await CreateDatabaseAsync();
        await Database.MigrateAsync();
    }

    [TearDown]
    public async Task DeleteDatabase() => await DisposeDatabaseAsync(Database);

    protected Task<IStoreDatabase> CreateDatabaseAsync() => Databases.CreateAsync();

    protected IStoreDatabase OpenAgain(IStoreDatabase database, int retentionDays = TestRetention.Days) => Databases.OpenAgain(database, retentionDays);

    protected Task<long> ScalarAsync(IStoreDatabase database, string sql) => Databases.ScalarAsync(database, sql);

    protected Task DisposeDatabaseAsync(IStoreDatabase database) => Databases.DisposeAsync(database);
}
