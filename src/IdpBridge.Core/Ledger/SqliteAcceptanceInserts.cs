using System.Data.Common;
using System.Globalization;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// A ledger batch into a <see cref="SqliteDatabase"/>: inside <c>BEGIN IMMEDIATE</c> (the one writer), the keys the
/// realm holds are read first, then one prepared <c>INSERT</c> is reused for every new row, the fastest way into
/// SQLite. Ids are given explicitly, above every id a record or a prune ever had: SQLite would reuse the ids of the
/// newest rows once a prune deleted them, and the chain's order is the ids' order.
/// </summary>
/// <param name="database">The database, for how it stores times.</param>
internal sealed class SqliteAcceptanceInserts(IAdoDatabase database) : IAcceptanceInserts
{
    private const string NextIdSql =
        "SELECT max(coalesce((SELECT max(id) FROM acceptances), 0), coalesce((SELECT max(through_id) FROM ledger_prunes), 0), " +
        "(SELECT legacy_through_id FROM ledger_chain_start)) + 1";

    /// <inheritdoc />
    public async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken)
    {
        var chained = await ChainedBatch.PrepareAsync(
            connection, transaction, records, (realm, keys) => ExistingKeysAsync(connection, transaction, realm, keys, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (chained.Count == 0)
        {
            return 0;
        }

        long id;
        await using (var next = connection.CreateCommand(transaction, NextIdSql))
        {
            id = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        await using var command = connection.CreateCommand(transaction,
            $"INSERT INTO acceptances (id, {AdoAcceptanceLedger.InsertColumns}, record_hash, chain_hash) VALUES (@id, @realm, @event_key, @user_id, @username, " +
            "@policy, @version_number, @content_hash, @decision, @occurred_at, @client_id, @ip_address, @source, @keycloak_event_id, @recorded_at, " +
            "@locale_shown, @record_hash, @chain_hash)");
        var parameters = new[]
        {
            "@id", "@realm", "@event_key", "@user_id", "@username", "@policy", "@version_number", "@content_hash", "@decision",
            "@occurred_at", "@client_id", "@ip_address", "@source", "@keycloak_event_id", "@recorded_at", "@locale_shown", "@record_hash", "@chain_hash",
        }.Select(name => command.AddParameter(name, null)).ToArray();
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (record, recordHash, chainHash) in chained)
        {
            parameters[0].Value = id++;
            parameters[1].Value = record.Realm;
            parameters[2].Value = record.EventKey;
            parameters[3].Value = record.UserId;
            parameters[4].Value = (object?)record.Username ?? DBNull.Value;
            parameters[5].Value = record.Policy;
            parameters[6].Value = (object?)record.VersionNumber ?? DBNull.Value;
            parameters[7].Value = (object?)record.ContentHash ?? DBNull.Value;
            parameters[8].Value = AdoAcceptanceLedger.DecisionToDatabase(record.Decision);
            parameters[9].Value = database.ToDatabase(record.OccurredAt);
            parameters[10].Value = (object?)record.ClientId ?? DBNull.Value;
            parameters[11].Value = (object?)record.IpAddress ?? DBNull.Value;
            parameters[12].Value = AdoAcceptanceLedger.SourceToDatabase(record.Source);
            parameters[13].Value = (object?)record.KeycloakEventId ?? DBNull.Value;
            parameters[14].Value = database.ToDatabase(record.RecordedAt);
            parameters[15].Value = (object?)record.LocaleShown ?? DBNull.Value;
            parameters[16].Value = recordHash;
            parameters[17].Value = chainHash;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return chained.Count;
    }

    private static async Task<IReadOnlySet<string>> ExistingKeysAsync(
        DbConnection connection, DbTransaction transaction, string realm, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand(transaction, "SELECT 1 FROM acceptances WHERE realm = @realm AND event_key = @key");
        command.AddParameter("@realm", realm);
        var key = command.AddParameter("@key", "");
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var eventKey in keys)
        {
            key.Value = eventKey;
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null and not DBNull)
            {
                found.Add(eventKey);
            }
        }

        return found;
    }
}
