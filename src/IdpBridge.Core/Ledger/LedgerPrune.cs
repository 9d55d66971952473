using System.Data.Common;
using System.Globalization;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// The retention prune, the one way records leave the ledger: it deletes the longest run of a realm's oldest records
/// (in id order) that all occurred before the cut-off, so every deleted record is older than the retention and the
/// chain keeps one anchor: the chain hash of the last deleted record, stored with the prune. A record older than the
/// cut-off that follows a younger one waits for it, at most the retention after IdpBridge recorded it.
/// PostgreSQL runs it as <c>idpbridge_prune_ledger</c> (SECURITY DEFINER, so a service role without DELETE can prune);
/// SQLite runs the same steps here, on a connection where the delete guard's <c>idpbridge_prune_allows</c> exists.
/// Whatever cut-off the caller gives, the database refuses one after its own now less the retention it holds
/// (<c>ledger_retention</c>, set by the migration: <see cref="LedgerRetentionFloor"/>), and every prune while that is 0.
/// </summary>
internal static class LedgerPrune
{
    /// <summary>Prunes <paramref name="realm"/> before <paramref name="before"/>; returns how many records went.</summary>
    public static async Task<long> RunAsync(IAdoDatabase database, string realm, DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (database.Provider == StorageProvider.PostgreSql)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var prune = connection.CreateCommand(transaction, "SELECT idpbridge_prune_ledger(@realm, @before, @now)");
            prune.AddParameter("@realm", realm);
            prune.AddParameter("@before", database.ToDatabase(before));
            prune.AddParameter("@now", database.ToDatabase(now));
            var count = Convert.ToInt64(await prune.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }

        return await SqliteAsync(database, (SqliteConnection)connection, realm, before, now, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> SqliteAsync(
        IAdoDatabase database, SqliteConnection connection, string realm, DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The connection goes back to the pool with the function still registered: the grant it reads is this prune's
        // only while the prune runs, and nothing afterwards.
        var grant = new PruneGrant();
        connection.CreateFunction("idpbridge_prune_allows", (string rowRealm, long id) => grant.Allows(rowRealm, id) ? 1 : 0);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        long firstKept;
        await using (var kept = connection.CreateCommand(transaction, "SELECT min(id) FROM acceptances WHERE realm = @realm AND occurred_at >= @before"))
        {
            kept.AddParameter("@realm", realm);
            kept.AddParameter("@before", database.ToDatabase(before));
            firstKept = await kept.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : long.MaxValue;
        }

        await using var run = connection.CreateCommand(transaction,
            "SELECT max(id), count(*), (SELECT chain_hash FROM acceptances a WHERE a.realm = @realm AND a.id < @kept AND a.chain_hash IS NOT NULL ORDER BY a.id DESC LIMIT 1) " +
            "FROM acceptances WHERE realm = @realm AND id < @kept");
        run.AddParameter("@realm", realm);
        run.AddParameter("@kept", firstKept);
        long through, count;
        string? anchor;
        await using (var reader = await run.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            count = reader.GetInt64(1);
            through = count == 0 ? 0 : reader.GetInt64(0);
            anchor = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        // The prune's record is what the database checks against the retention (ledger_prunes' triggers, migration
        // 0009), so it is written even when nothing is to go, and then not kept: a refused prune fails either way.
        await using (var record = connection.CreateCommand(transaction,
            "INSERT INTO ledger_prunes (realm, pruned_before, pruned_at, row_count, through_id, chain_hash) VALUES (@realm, @before, @now, @count, @through, @anchor)"))
        {
            record.AddParameter("@realm", realm);
            record.AddParameter("@before", database.ToDatabase(before));
            record.AddParameter("@now", database.ToDatabase(now));
            record.AddParameter("@count", count);
            record.AddParameter("@through", through);
            record.AddParameter("@anchor", anchor);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (count == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        grant.Open(realm, through);
        try
        {
            await using var delete = connection.CreateCommand(transaction, "DELETE FROM acceptances WHERE realm = @realm AND id <= @through");
            delete.AddParameter("@realm", realm);
            delete.AddParameter("@through", through);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            grant.Close();
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Which rows the running prune may delete: those of one realm up to one id, while it is open.</summary>
    private sealed class PruneGrant
    {
        private string? realm;
        private long through;

        public void Open(string prunedRealm, long throughId) => (realm, through) = (prunedRealm, throughId);

        public void Close() => realm = null;

        public bool Allows(string rowRealm, long id) => realm is not null && string.Equals(rowRealm, realm, StringComparison.Ordinal) && id <= through;
    }
}
