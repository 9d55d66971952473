using System.Data.Common;
using IdpBridge.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// A ledger batch into a <see cref="PostgresDatabase"/>: one statement: every column sent as one array and
/// <c>INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING</c>, so a thousand rows cost one round trip and no
/// parameter limit applies; <c>unnest</c> yields the rows in order, so ids follow the batch's order.
/// </summary>
internal sealed class PostgresAcceptanceInserts : IAcceptanceInserts
{
    /// <inheritdoc />
    public async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}) " +
            "SELECT * FROM unnest(@realm, @event_key, @user_id, @username, @policy, @version_number, @content_hash, @decision, " +
            "@occurred_at, @client_id, @ip_address, @source, @keycloak_event_id, @recorded_at) " +
            "ON CONFLICT (realm, event_key) DO NOTHING",
            (NpgsqlConnection)connection,
            (NpgsqlTransaction)transaction);
        Text(command, "realm", records, record => record.Realm);
        Text(command, "event_key", records, record => record.EventKey);
        Text(command, "user_id", records, record => record.UserId);
        Text(command, "username", records, record => record.Username);
        Text(command, "policy", records, record => record.Policy);
        command.Parameters.Add(new NpgsqlParameter<int?[]>("version_number", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            TypedValue = records.Select(record => record.VersionNumber).ToArray(),
        });
        Text(command, "content_hash", records, record => record.ContentHash);
        Text(command, "decision", records, record => AdoAcceptanceLedger.DecisionToDatabase(record.Decision));
        Time(command, "occurred_at", records, record => record.OccurredAt);
        Text(command, "client_id", records, record => record.ClientId);
        Text(command, "ip_address", records, record => record.IpAddress);
        Text(command, "source", records, record => AdoAcceptanceLedger.SourceToDatabase(record.Source));
        Text(command, "keycloak_event_id", records, record => record.KeycloakEventId);
        Time(command, "recorded_at", records, record => record.RecordedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
