using IdpBridge.Core.Storage.Migrations;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using static IdpBridge.Core.Tests.Storage.SqliteSql;

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
    public async Task Migration6_FileWithVersions_KeepsThemTheirTextsAndImmutabilityAndAcceptsNotice()
    {
        // Arrange: a file at schema 5 holding a version with two texts.
        var migrations = MigrationCatalog.For(StorageProvider.Sqlite);
        var notice = migrations.Single(migration => migration.Version == 6);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Folder, "schema5.db"), ForeignKeys = true, Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        foreach (var migration in migrations.Where(migration => migration.Version < 6))
        {
            await ExecuteAsync(connection, migration.Sql);
        }

        await ExecuteAsync(connection, """
            INSERT INTO policy_versions (id, realm, policy, number, kind, published_at, effective_at, content_hash)
                VALUES (7, 'externos', 'privacy', 1, 'material', 1000, 2000, 'h1');
            INSERT INTO policy_texts (version_id, position, locale, title, summary, markdown, sha256)
                VALUES (7, 0, 'es', 'Privacidad', NULL, 'uno', 's1'), (7, 1, 'en', 'Privacy', 'first', 'one', 's2');
            """);

        // Act
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, notice.Sql, (SqliteTransaction)transaction);
            await transaction.CommitAsync();
        }

        // Assert
        Assert.That(await QueryAsync(connection,
                "SELECT id || ':' || number || ':' || kind || ':' || published_at || ':' || effective_at || ':' || content_hash FROM policy_versions"),
            Is.EqualTo(new[] { "7:1:material:1000:2000:h1" }));
        Assert.That(await QueryAsync(connection,
                "SELECT version_id || ':' || position || ':' || locale || ':' || title || ':' || coalesce(summary, '-') || ':' || markdown || ':' || sha256 " +
                "FROM policy_texts ORDER BY position"),
            Is.EqualTo(new[] { "7:0:es:Privacidad:-:uno:s1", "7:1:en:Privacy:first:one:s2" }));
        Assert.That(await QueryAsync(connection, "SELECT \"table\" FROM pragma_foreign_key_list('policy_texts')"), Is.EqualTo(new[] { "policy_versions" }));
        await ExecuteAsync(connection,
            "INSERT INTO policy_versions (realm, policy, number, kind, published_at, effective_at, content_hash) " +
            "VALUES ('externos', 'privacy', 2, 'notice', 3000, 3000, 'h2')");
        Assert.That(async () => await ExecuteAsync(connection, "UPDATE policy_versions SET kind = 'minor' WHERE id = 7"),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("immutable"));
        Assert.That(async () => await ExecuteAsync(connection, "DELETE FROM policy_texts WHERE version_id = 7"),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("immutable"));
        Assert.That(async () => await ExecuteAsync(connection,
                "INSERT INTO policy_versions (realm, policy, number, kind, published_at, effective_at, content_hash) " +
                "VALUES ('externos', 'privacy', 3, 'major', 3000, 3000, 'h3')"),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("CHECK"));
        Assert.That(async () => await ExecuteAsync(connection,
                "INSERT INTO policy_texts (version_id, position, locale, title, markdown, sha256) VALUES (99, 0, 'es', 't', 'm', 's')"),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("FOREIGN KEY"));
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
