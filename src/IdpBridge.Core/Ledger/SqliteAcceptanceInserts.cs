using System.Data.Common;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// A ledger batch into a <see cref="SqliteDatabase"/>: one prepared <c>INSERT ... ON CONFLICT DO NOTHING</c> reused for
/// every row of a batch inside <c>BEGIN IMMEDIATE</c>, the fastest way into SQLite.
/// </summary>
/// <param name="database">The database, for how it stores times.</param>
internal sealed class SqliteAcceptanceInserts(IAdoDatabase database) : IAcceptanceInserts
{
    /// <inheritdoc />
    public async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction,
            $"INSERT INTO acceptances ({AdoAcceptanceLedger.InsertColumns}) VALUES (@realm, @event_key, @user_id, @username, @policy, @version_number, " +
            "@content_hash, @decision, @occurred_at, @client_id, @ip_address, @source, @keycloak_event_id, @recorded_at) " +
            "ON CONFLICT (realm, event_key) DO NOTHING");
        var parameters = new[]
        {
            "@realm", "@event_key", "@user_id", "@username", "@policy", "@version_number", "@content_hash", "@decision",
            "@occurred_at", "@client_id", "@ip_address", "@source", "@keycloak_event_id", "@recorded_at",
        }.Select(name => command.AddParameter(name, null)).ToArray();
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var added = 0;
        foreach (var record in records)
        {
            parameters[0].Value = record.Realm;
            parameters[1].Value = record.EventKey;
            parameters[2].Value = record.UserId;
            parameters[3].Value = (object?)record.Username ?? DBNull.Value;
            parameters[4].Value = record.Policy;
            parameters[5].Value = (object?)record.VersionNumber ?? DBNull.Value;
            parameters[6].Value = (object?)record.ContentHash ?? DBNull.Value;
            parameters[7].Value = AdoAcceptanceLedger.DecisionToDatabase(record.Decision);
            parameters[8].Value = database.ToDatabase(record.OccurredAt);
            parameters[9].Value = (object?)record.ClientId ?? DBNull.Value;
            parameters[10].Value = (object?)record.IpAddress ?? DBNull.Value;
            parameters[11].Value = AdoAcceptanceLedger.SourceToDatabase(record.Source);
            parameters[12].Value = (object?)record.KeycloakEventId ?? DBNull.Value;
            parameters[13].Value = database.ToDatabase(record.RecordedAt);
            added += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return added;
    }
}
