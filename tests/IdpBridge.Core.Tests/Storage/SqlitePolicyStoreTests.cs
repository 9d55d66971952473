using NUnit.Framework;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The policy store contract on a fresh SQLite file per test, plus what only SQLite has: the file itself.</summary>
[TestFixture]
public sealed class SqlitePolicyStoreTests : PolicyStoreContract
{
    private SqliteTestDatabases files = null!;

    protected override ITestDatabases Databases => files;

    private string Folder => files.Folder;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    [Test]
    public async Task MigrateAsync_MissingFileAndFolder_CreatesBoth()
    {
        // Arrange
        var path = Path.Combine(Folder, "new", "nested", "idpbridge.db");
        var database = new SqliteDatabase(path);

        // Act
        var applied = await database.MigrateAsync();

        // Assert
        Assert.That(File.Exists(path), Is.True);
        Assert.That(applied, Is.EqualTo(await database.GetSchemaVersionAsync()).And.GreaterThanOrEqualTo(1));
        Assert.That(await ScalarAsync(database, "SELECT count(*) FROM sqlite_master WHERE name = 'policy_versions'"), Is.EqualTo(1));
    }

    [Test]
    public async Task MigrateAsync_NewFile_UsesWriteAheadLog()
    {
        // Act: SetUp migrated the database.
        await using var connection = await ((SqliteDatabase)Database).OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        // Assert
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task AddAsync_TimesInFile_AreUnixMilliseconds()
    {
        // Act
        await Store.AddAsync(Simple("uno"));

        // Assert: the documented format, so other tools can read the file.
        Assert.That(await ScalarAsync(Database, "SELECT published_at FROM policy_versions"), Is.EqualTo(T0.ToUnixTimeMilliseconds()));
    }

    [Test]
    public void SqliteDatabase_RelativePath_IsResolvedAgainstCurrentFolder()
    {
        // Act
        var database = new SqliteDatabase("idpbridge.db");

        // Assert
        Assert.That(database.Path, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "idpbridge.db")));
    }

    [Test]
    public void MigrateAsync_PathIsAFolder_FailsNamingTheSetting()
    {
        // Arrange
        var database = new SqliteDatabase(Folder);

        // Act
        var exception = Assert.ThrowsAsync<StorageException>(() => database.MigrateAsync());

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:SqlitePath").And.Contain(Folder));
    }

    protected override IPolicyStore CreateStore(IStoreDatabase database) => new AdoPolicyStore((IAdoDatabase)database);
}
