using System.Data.Common;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// A ledger batch into a <see cref="PostgresDatabase"/>: each realm's advisory lock first (appends and prunes of a realm
/// queue on every replica, so ids and the chain agree), the keys the realm holds read in one query, then one
/// statement: every column sent as one array and <c>INSERT ... SELECT FROM unnest(...)</c>, so a thousand rows cost
/// one round trip and no parameter limit applies; <c>unnest</c> yields the rows in order, so ids follow the batch's order.
/// </summary>
internal sealed class PostgresAcceptanceInserts : IAcceptanceInserts
{
    /// <inheritdoc />
    public async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        foreach (var realm in records.Select(record => record.Realm).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await LockRealmAsync(npgsql, npgsqlTransaction, realm, cancellationToken).ConfigureAwait(false);
        }

        var chained = await ChainedBatch.PrepareAsync(
            connection, transaction, records, (realm, keys) => ExistingKeysAsync(npgsql, npgsqlTransaction, realm, keys, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (chained.Count == 0)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand(
            $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}, record_hash, chain_hash) " +
            "SELECT * FROM unnest(@realm, @event_key, @user_id, @username, @policy, @version_number, @content_hash, @decision, " +
            "@occurred_at, @client_id, @ip_address, @source, @keycloak_event_id, @recorded_at, @locale_shown, @record_hash, @chain_hash)",
            npgsql,
            npgsqlTransaction);
        var rows = chained.Select(row => row.Record).ToList();
        Text(command, "realm", rows, record => record.Realm);
        Text(command, "event_key", rows, record => record.EventKey);
        Text(command, "user_id", rows, record => record.UserId);
        Text(command, "username", rows, record => record.Username);
        Text(command, "policy", rows, record => record.Policy);
        command.Parameters.Add(new NpgsqlParameter<int?[]>("version_number", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            TypedValue = rows.Select(record => record.VersionNumber).ToArray(),
        });
        Text(command, "content_hash", rows, record => record.ContentHash);
        Text(command, "decision", rows, record => AdoAcceptanceLedger.DecisionToDatabase(record.Decision));
        Time(command, "occurred_at", rows, record => record.OccurredAt);
        Text(command, "client_id", rows, record => record.ClientId);
        Text(command, "ip_address", rows, record => record.IpAddress);
        Text(command, "source", rows, record => AdoAcceptanceLedger.SourceToDatabase(record.Source));
        Text(command, "keycloak_event_id", rows, record => record.KeycloakEventId);
        Time(command, "recorded_at", rows, record => record.RecordedAt);
        Text(command, "locale_shown", rows, record => record.LocaleShown);
        command.Parameters.Add(
            new NpgsqlParameter<string[]>("record_hash", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = chained.Select(row => row.RecordHash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]>("chain_hash", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = chained.Select(row => row.ChainHash).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds the realm's ledger lock until the transaction ends (the one <c>idpbridge_prune_ledger</c> takes).</summary>
    internal static async Task LockRealmAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string realm, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, hashtext(@realm))", connection, transaction);
        command.Parameters.AddWithValue("class", LedgerChain.PostgresLockClass);
        command.Parameters.AddWithValue("realm", realm);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlySet<string>> ExistingKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string realm, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT event_key FROM acceptances WHERE realm = @realm AND event_key = ANY(@keys)", connection, transaction);
        command.Parameters.AddWithValue("realm", realm);
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. keys] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private static void Text(NpgsqlCommand command, string name, IReadOnlyList<AcceptanceRecord> records, Func<AcceptanceRecord, string?> value) =>
        command.Parameters.Add(new NpgsqlParameter<string?[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = records.Select(value).ToArray(),
        });

    private static void Time(NpgsqlCommand command, string name, IReadOnlyList<AcceptanceRecord> records, Func<AcceptanceRecord, DateTimeOffset> value) =>
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = records.Select(record => StoreTime.TruncateToMilliseconds(value(record))).ToArray(),
        });
}
