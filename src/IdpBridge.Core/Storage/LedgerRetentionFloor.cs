using System.Data.Common;
using System.Globalization;

namespace IdpBridge.Core.Storage;

/// <summary>
/// The retention the database itself holds every prune to (<c>ledger_retention</c>, migration 0009): the days
/// <c>IdpBridge:Ledger:RetentionDays</c> says, written through the migration connection after each migration. On
/// PostgreSQL that is the owner's connection when <see cref="IdpBridgeStorageOptions.OwnerConnectionString"/> is set,
/// and the service's role may only read the table, so it cannot shorten the retention it prunes under.
/// </summary>
internal static class LedgerRetentionFloor
{
    /// <summary>
    /// Sets the retention to <paramref name="retentionDays"/> (0: off, no prune) unless it is that already, so that a
    /// start with an unchanged setting writes nothing (and needs no right to write).
    /// </summary>
    public static async Task WriteAsync(DbConnection connection, StorageProvider provider, int retentionDays, CancellationToken cancellationToken)
    {
        await using (var read = connection.CreateCommand("SELECT retention_days FROM ledger_retention WHERE singleton = 1"))
        {
            if (Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == retentionDays)
            {
                return;
            }
        }

        var now = provider == StorageProvider.PostgreSql ? "now()" : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
        await using var write = connection.CreateCommand($"UPDATE ledger_retention SET retention_days = @days, set_at = {now} WHERE singleton = 1");
        write.AddParameter("@days", retentionDays);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
