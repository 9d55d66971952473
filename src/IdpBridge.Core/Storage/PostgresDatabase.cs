using System.Data.Common;
using IdpBridge.Core.Storage.Migrations;
using Npgsql;

namespace IdpBridge.Core.Storage;

/// <summary>
/// IdpBridge's data in a PostgreSQL database, shared by several replicas. Migrations and writers coordinate with
/// transaction-scoped advisory locks; times are <c>timestamptz</c> to the millisecond.
/// </summary>
public sealed class PostgresDatabase : IStoreDatabase, IAdoDatabase, IAsyncDisposable, IDisposable
{
    /// <summary>The advisory lock (64-bit key space) held while migrating: "IdpBrdg" in ASCII.</summary>
    internal const long MigrationLockKey = 0x0049_6470_4272_6467;

    private readonly NpgsqlDataSource dataSource;
    private readonly string connectionString;
    private readonly string? ownerConnectionString;
    private readonly int retentionDays;
    private readonly SchemaMigrator migrator;

    /// <summary>
    /// Uses the database that <paramref name="connectionString"/> names (Npgsql keywords). Nothing is opened yet.
    /// With <paramref name="ownerConnectionString"/> (the schema owner's), migrations run through that one, which then
    /// grants the service's role its rights (<see cref="PostgresServiceRoleGrants"/>); without it the one connection
    /// does both. That migration connection also sets the retention every prune is held to,
    /// <paramref name="retentionDays"/> (<c>IdpBridge:Ledger:RetentionDays</c>; 0, the default, is off: no prune).
    /// Throws <see cref="StorageException"/>, without the password, when a string does not parse.
    /// </summary>
    public PostgresDatabase(string connectionString, string? ownerConnectionString = null, int retentionDays = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfNegative(retentionDays);
        this.connectionString = connectionString;
        this.ownerConnectionString = string.IsNullOrWhiteSpace(ownerConnectionString) ? null : ownerConnectionString;
        this.retentionDays = retentionDays;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new StorageException(
                "IdpBridge:Storage:ConnectionString is not a valid PostgreSQL connection string: " +
                ConnectionStrings.Scrub(exception.Message, connectionString));
        }

        DisplayName = ConnectionStrings.MaskPassword(connectionString);
        migrator = new SchemaMigrator(
            MigrationCatalog.For(StorageProvider.PostgreSql),
            BeginLockedAsync,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, " +
            "applied_at timestamptz NOT NULL DEFAULT now())",
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_version' AND schemaname = current_schema()",
            DisplayName);
    }

    /// <inheritdoc />
    public StorageProvider Provider => StorageProvider.PostgreSql;

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>Opens a pooled connection.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (ownerConnectionString is null)
        {
            try
            {
                await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                var migrated = await migrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                await LedgerRetentionFloor.WriteAsync(connection, Provider, retentionDays, cancellationToken).ConfigureAwait(false);
                return migrated;
            }
            catch (NpgsqlException exception)
            {
                throw Unusable("cannot be migrated", exception);
            }
        }

        string serviceRole;
        try
        {
            await using var service = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var whoAmI = service.CreateCommand("SELECT current_user");
            serviceRole = (string)(await whoAmI.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException exception)
        {
            throw Unusable("does not answer", exception);
        }

        try
        {
            await using var owner = new NpgsqlConnection(ownerConnectionString);
            await owner.OpenAsync(cancellationToken).ConfigureAwait(false);
            var applied = await migrator.MigrateAsync(owner, cancellationToken).ConfigureAwait(false);
            await LedgerRetentionFloor.WriteAsync(owner, Provider, retentionDays, cancellationToken).ConfigureAwait(false);
            await using var ownerRole = owner.CreateCommand("SELECT current_user");
            if (!string.Equals((string?)await ownerRole.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), serviceRole, StringComparison.Ordinal))
            {
                await PostgresServiceRoleGrants.GrantAsync(owner, serviceRole, cancellationToken).ConfigureAwait(false);
            }

            return applied;
        }
        catch (NpgsqlException exception)
        {
            throw new StorageException(
                $"The PostgreSQL database cannot be migrated through IdpBridge:Storage:OwnerConnectionString ({ConnectionStrings.MaskPassword(ownerConnectionString)}): " +
                ConnectionStrings.Scrub(exception.Message, ownerConnectionString),
                exception);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await migrator.ReadSchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Unusable("cannot be read", exception);
        }
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Unusable("does not answer", exception);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => dataSource.Dispose();

    private StorageException Unusable(string what, DbException exception) => new(
        $"The PostgreSQL database {what} (IdpBridge:Storage:ConnectionString = {DisplayName}): " +
        ConnectionStrings.Scrub(exception.Message, connectionString),
        exception);

    private static Task<DbTransaction> BeginLockedAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginWithAdvisoryLockAsync(connection, cancellationToken, MigrationLockKey);

    /// <summary>
    /// A transaction holding <c>pg_advisory_xact_lock</c> on the given key (one bigint, or two ints): released when the
    /// transaction ends, on whichever replica took it.
    /// </summary>
    internal static async Task<DbTransaction> BeginWithAdvisoryLockAsync(DbConnection connection, CancellationToken cancellationToken, params object[] key)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand(transaction, $"SELECT pg_advisory_xact_lock({string.Join(", ", key.Select((_, index) => $"@k{index}"))})");
            for (var index = 0; index < key.Length; index++)
            {
                command.AddParameter($"@k{index}", key[index]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    async Task<DbConnection> IAdoDatabase.OpenAsync(CancellationToken cancellationToken) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    async Task<DbTransaction> IAdoDatabase.BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    Task<DbTransaction> IAdoDatabase.BeginLockedWriteAsync(DbConnection connection, int lockClass, int lockKey, CancellationToken cancellationToken) =>
        BeginWithAdvisoryLockAsync(connection, cancellationToken, lockClass, lockKey);

    /// <inheritdoc />
    /// <remarks>Truncated here: <c>timestamptz(3)</c> would round, and SQLite's milliseconds truncate.</remarks>
    object IAdoDatabase.ToDatabase(DateTimeOffset utc) => StoreTime.TruncateToMilliseconds(utc);

    /// <inheritdoc />
    DateTimeOffset IAdoDatabase.ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <inheritdoc />
    StorageException IAdoDatabase.Failed(DbException exception) => Unusable("failed", exception);
}
