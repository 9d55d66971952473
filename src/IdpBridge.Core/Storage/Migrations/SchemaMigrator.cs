using System.Data.Common;
using System.Globalization;

namespace IdpBridge.Core.Storage.Migrations;

/// <summary>
/// Applies a provider's migrations through ADO.NET. Each migration runs in its own transaction that first takes the
/// provider's exclusive lock (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>pg_advisory_xact_lock</c>) and then
/// re-reads <c>schema_version</c>, so a second process migrating at the same moment waits and finds nothing to do.
/// </summary>
internal sealed class SchemaMigrator(
    IReadOnlyList<Migration> migrations,
    Func<DbConnection, CancellationToken, Task<DbTransaction>> beginExclusive,
    string createVersionTableSql,
    string versionTableExistsSql,
    string displayName)
{
    public async Task<int> MigrateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var migration in migrations)
        {
            await using var transaction = await beginExclusive(connection, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, createVersionTableSql, cancellationToken).ConfigureAwait(false);
            var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            EnsureKnown(current);
            if (current >= migration.Version)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using (var insert = connection.CreateCommand(transaction, "INSERT INTO schema_version (version, name) VALUES (@version, @name)"))
            {
                insert.AddParameter("@version", migration.Version);
                insert.AddParameter("@name", migration.Name);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }

    public async Task<int> ReadSchemaVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = connection.CreateCommand(versionTableExistsSql);
        var count = Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return count == 0 ? 0 : await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private void EnsureKnown(int current)
    {
        if (current > migrations.Count)
        {
            throw new StorageException(
                $"The database {displayName} has schema version {current}, newer than this IdpBridge knows ({migrations.Count}). " +
                "Run the newer IdpBridge, or restore a backup taken before the upgrade.");
        }
    }

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT coalesce(max(version), 0) FROM schema_version");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
