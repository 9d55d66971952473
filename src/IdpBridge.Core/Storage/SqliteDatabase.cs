using System.Data;
using System.Data.Common;
using IdpBridge.Core.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace IdpBridge.Core.Storage;

/// <summary>
/// IdpBridge's data in one SQLite file, in WAL mode. Writers serialize with <c>BEGIN IMMEDIATE</c> (waiting up to
/// 30 seconds for the file's write lock); times are stored as UTC unix milliseconds.
/// </summary>
public sealed class SqliteDatabase : IStoreDatabase, IAdoDatabase
{
    private readonly SchemaMigrator migrator;
    private readonly int retentionDays;

    /// <summary>
    /// Uses the SQLite file at <paramref name="path"/> (relative to the current folder), created when first opened.
    /// Each migration sets the retention every prune is held to, <paramref name="retentionDays"/>
    /// (<c>IdpBridge:Ledger:RetentionDays</c>; 0, the default, is off: no prune).
    /// </summary>
    public SqliteDatabase(string path, int retentionDays = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(retentionDays);
        this.retentionDays = retentionDays;
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        migrator = new SchemaMigrator(
            MigrationCatalog.For(StorageProvider.Sqlite),
            (connection, _) => Task.FromResult(BeginImmediate(connection)),
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, " +
            "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
            Path);
    }

    /// <summary>The SQLite file's full path.</summary>
    public string Path { get; }

    /// <summary>The connection string used for every connection.</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public StorageProvider Provider => StorageProvider.Sqlite;

    /// <inheritdoc />
    public string DisplayName => Path;

    /// <summary>
    /// Opens a connection. A file that does not exist yet is created readable by its owner only (0600, and its new
    /// folder 0700): it holds who accepted what, from which IP. SQLite gives its -wal and -shm files the same mode.
    /// </summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        CreateOwnerOnlyFile();
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // The ledger's delete guard asks this function; on IdpBridge's connections it refuses (a DELETE then fails
            // with the guard's message) except inside the retention prune, which registers its own (LedgerPrune).
            connection.CreateFunction("idpbridge_prune_allows", static (string realm, long id) => 0);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void CreateOwnerOnlyFile()
    {
        if (File.Exists(Path))
        {
            return;
        }

        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            OwnerOnlyFiles.CreateFolder(folder);
        }

        // An empty file is an empty SQLite database; SQLite keeps the mode it was created with.
        OwnerOnlyFiles.CreateFileIfAbsent(Path);
    }

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // WAL lets readers go on while one writer works; the mode is stored in the file, so this runs once.
            await using (var wal = connection.CreateCommand("PRAGMA journal_mode = WAL"))
            {
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var applied = await migrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            await LedgerRetentionFloor.WriteAsync(connection, Provider, retentionDays, cancellationToken).ConfigureAwait(false);
            return applied;
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageException(
                $"The SQLite database '{Path}' (IdpBridge:Storage:SqlitePath) cannot be opened or migrated: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        ((IAdoDatabase)this).GuardAsync(async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await migrator.ReadSchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"The SQLite database '{Path}' does not answer: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c>: takes the write lock now, not at the first write, so two writers never both read the
    /// same "latest" and a deferred upgrade cannot fail with SQLITE_BUSY halfway.
    /// </summary>
    internal static DbTransaction BeginImmediate(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false);

    /// <inheritdoc />
    async Task<DbConnection> IAdoDatabase.OpenAsync(CancellationToken cancellationToken) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    Task<DbTransaction> IAdoDatabase.BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult(BeginImmediate(connection));

    /// <inheritdoc />
    Task<DbTransaction> IAdoDatabase.BeginLockedWriteAsync(DbConnection connection, int lockClass, int lockKey, CancellationToken cancellationToken) =>
        Task.FromResult(BeginImmediate(connection));

    /// <inheritdoc />
    object IAdoDatabase.ToDatabase(DateTimeOffset utc) => utc.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    DateTimeOffset IAdoDatabase.ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <inheritdoc />
    StorageException IAdoDatabase.Failed(DbException exception) =>
        new($"The SQLite database '{Path}' (IdpBridge:Storage:SqlitePath) failed: {exception.Message}", exception);
}
