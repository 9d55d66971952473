using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// The acceptance ledger in either database (plain ADO.NET, <c>@name</c> parameters); the database says how it opens
/// connections, begins a write and stores times, and <see cref="IAcceptanceInserts"/> how its provider inserts a
/// batch fastest.
/// </summary>
internal sealed class AdoAcceptanceLedger : IAcceptanceLedger
{
    private readonly IAdoDatabase database;
    private readonly IAcceptanceInserts inserts;

    /// <summary>Uses <paramref name="database"/>, migrated.</summary>
    public AdoAcceptanceLedger(IAdoDatabase database)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        inserts = database.Provider == StorageProvider.PostgreSql ? new PostgresAcceptanceInserts() : new SqliteAcceptanceInserts(database);
    }

    /// <summary>The columns a batch insert writes, in order.</summary>
    internal const string InsertColumns =
        "realm, event_key, user_id, username, policy, version_number, content_hash, decision, occurred_at, " +
        "client_id, ip_address, source, keycloak_event_id, recorded_at, locale_shown";

    private const string SelectColumns =
        "id, realm, event_key, user_id, username, policy, version_number, content_hash, decision, occurred_at, " +
        "client_id, ip_address, source, keycloak_event_id, recorded_at, locale_shown";

    /// <inheritdoc />
    public Task<int> AppendAsync(IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken = default) =>
        database.GuardAsync<int>(async () =>
        {
            ArgumentNullException.ThrowIfNull(records);
            if (records.Count == 0)
            {
                return 0;
            }

            foreach (var record in records)
            {
                Validate(record);
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var added = await inserts.InsertAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return added;
        });

    /// <inheritdoc />
    public IAsyncEnumerable<AcceptanceRecord> ReadAsync(LedgerQuery query, CancellationToken cancellationToken = default) =>
        database.GuardAsync(ReadRowsAsync(query, cancellationToken));

    private async IAsyncEnumerable<AcceptanceRecord> ReadRowsAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Realm, "query.Realm");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var conditions = "";
        command.AddParameter("@realm", query.Realm);
        if (query.From is { } from)
        {
            conditions += " AND occurred_at >= @from";
            command.AddParameter("@from", ToDatabase(from));
        }

        if (query.To is { } to)
        {
            conditions += " AND occurred_at < @to";
            command.AddParameter("@to", ToDatabase(to));
        }

        var select = $"SELECT {SelectColumns} FROM acceptances WHERE realm = @realm{conditions}";
        if (query.User is { Length: > 0 } user)
        {
            // By id or by name: a union of two index searches (an OR would scan the realm's records in time order).
            select = $"{select} AND user_id = @user UNION {select} AND username = @user";
            command.AddParameter("@user", user);
        }

        command.CommandText = select + " ORDER BY occurred_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new AcceptanceRecord(
                reader.GetString(1),
                reader.GetString(3),
                NullableString(reader, 4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                NullableString(reader, 7),
                DecisionFromDatabase(reader.GetString(8)),
                ReadTime(reader, 9),
                NullableString(reader, 10),
                NullableString(reader, 11),
                SourceFromDatabase(reader.GetString(12)),
                reader.GetString(2),
                NullableString(reader, 13),
                NullableString(reader, 15))
            {
                Id = reader.GetInt64(0),
                RecordedAt = ReadTime(reader, 14),
            };
        }
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetWatermarkAsync(string realm, CancellationToken cancellationToken = default) =>
        database.GuardAsync<DateTimeOffset?>(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand("SELECT events_through FROM ledger_watermarks WHERE realm = @realm");
            command.AddParameter("@realm", realm);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTime(reader, 0) : null;
        });

    /// <inheritdoc />
    public Task AdvanceWatermarkAsync(string realm, DateTimeOffset through, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.GuardAsync(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(
                "INSERT INTO ledger_watermarks (realm, events_through, updated_at) VALUES (@realm, @through, @now) " +
                "ON CONFLICT (realm) DO UPDATE SET events_through = excluded.events_through, updated_at = excluded.updated_at " +
                "WHERE ledger_watermarks.events_through < excluded.events_through");
            command.AddParameter("@realm", realm);
            command.AddParameter("@through", ToDatabase(through));
            command.AddParameter("@now", ToDatabase(now));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> FindKeysAsync(string realm, IReadOnlyCollection<string> eventKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventKeys);
        return FoundAsync(realm, eventKeys, "SELECT 1 FROM acceptances WHERE realm = @realm AND event_key = @key", command =>
        {
            var key = command.AddParameter("@key", "");
            return eventKey => key.Value = eventKey;
        }, eventKey => eventKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> FindAcceptedWithinAsync(
        string realm, IReadOnlyList<(string UserId, DateTimeOffset From, DateTimeOffset To)> windows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        const string sql =
            "SELECT 1 FROM acceptances WHERE realm = @realm AND user_id = @user AND decision IN ('accepted', 'acknowledged') " +
            "AND occurred_at >= @from AND occurred_at <= @to LIMIT 1";
        return FoundAsync(realm, windows, sql, command =>
        {
            var user = command.AddParameter("@user", "");
            var from = command.AddParameter("@from", ToDatabase(DateTimeOffset.UnixEpoch));
            var to = command.AddParameter("@to", ToDatabase(DateTimeOffset.UnixEpoch));
            return window =>
            {
                user.Value = window.UserId;
                from.Value = ToDatabase(window.From);
                to.Value = ToDatabase(window.To);
            };
        }, window => window.UserId, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="sql"/>, which finds one row or none, once per item on one prepared command (one index lookup
    /// each): <paramref name="prepare"/> declares the item's parameters and returns how to bind an item to them. Returns
    /// the names of the items that found a row.
    /// </summary>
    private Task<IReadOnlySet<string>> FoundAsync<T>(
        string realm, IReadOnlyCollection<T> items, string sql, Func<DbCommand, Action<T>> prepare, Func<T, string> name, CancellationToken cancellationToken) =>
        database.GuardAsync<IReadOnlySet<string>>(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (items.Count == 0)
            {
                return found;
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(sql);
            command.AddParameter("@realm", realm);
            var bind = prepare(command);
            foreach (var item in items)
            {
                bind(item);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null and not DBNull)
                {
                    found.Add(name(item));
                }
            }

            return found;
        });

    /// <inheritdoc />
    public Task<LedgerTally> TallyAsync(string realm, string policy, int versionNumber, CancellationToken cancellationToken = default) =>
        database.GuardAsync<LedgerTally>(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            ArgumentException.ThrowIfNullOrWhiteSpace(policy);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            const string Version = "realm = @realm AND policy = @policy AND version_number = @version";
            command.CommandText =
                $"SELECT (SELECT count(DISTINCT user_id) FROM acceptances WHERE {Version} AND decision = 'accepted'), " +
                $"(SELECT count(DISTINCT d.user_id) FROM acceptances d WHERE d.{Version.Replace(" AND ", " AND d.", StringComparison.Ordinal)} AND d.decision = 'declined' " +
                "AND NOT EXISTS (SELECT 1 FROM acceptances a WHERE a.realm = d.realm AND a.policy = d.policy AND a.version_number = d.version_number " +
                "AND a.user_id = d.user_id AND a.decision = 'accepted' AND a.occurred_at >= d.occurred_at)), " +
                $"(SELECT count(*) FROM acceptances WHERE {Version}), " +
                $"(SELECT count(DISTINCT user_id) FROM acceptances WHERE {Version} AND decision = 'acknowledged')";
            command.AddParameter("@realm", realm);
            command.AddParameter("@policy", policy);
            command.AddParameter("@version", versionNumber);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new LedgerTally(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        });

    /// <inheritdoc />
    public IAsyncEnumerable<(string UserId, DateTimeOffset AcceptedAt)> FirstAcceptancesAsync(
        string realm, string policy, int versionNumber, CancellationToken cancellationToken = default) =>
        database.GuardAsync(FirstAcceptanceRowsAsync(realm, policy, versionNumber, cancellationToken));

    private async IAsyncEnumerable<(string UserId, DateTimeOffset AcceptedAt)> FirstAcceptanceRowsAsync(
        string realm, string policy, int versionNumber, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "SELECT user_id, min(occurred_at) FROM acceptances " +
            "WHERE realm = @realm AND policy = @policy AND version_number = @version AND decision = 'accepted' GROUP BY user_id");
        command.AddParameter("@realm", realm);
        command.AddParameter("@policy", policy);
        command.AddParameter("@version", versionNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (reader.GetString(0), ReadTime(reader, 1));
        }
    }

    /// <inheritdoc />
    public Task<long> PruneAsync(string realm, DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.GuardAsync<long>(() =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            return LedgerPrune.RunAsync(database, realm, before, now, cancellationToken);
        });

    /// <summary>The text a decision is stored as.</summary>
    internal static string DecisionToDatabase(AcceptanceDecision decision) => decision switch
    {
        AcceptanceDecision.Accepted => "accepted",
        AcceptanceDecision.Declined => "declined",
        AcceptanceDecision.Acknowledged => "acknowledged",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Unknown decision."),
    };

    /// <summary>The text a source is stored as.</summary>
    internal static string SourceToDatabase(AcceptanceSource source) => source switch
    {
        AcceptanceSource.Event => "event",
        AcceptanceSource.Registration => "registration",
        AcceptanceSource.Timestamp => "timestamp",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown source."),
    };

    /// <summary>A UTC time as the provider stores it (truncated to the millisecond).</summary>
    private object ToDatabase(DateTimeOffset utc) => database.ToDatabase(utc);

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    private Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        database.BeginWriteAsync(connection, cancellationToken);

    private DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => database.ReadTime(reader, ordinal);

    private static void Validate(AcceptanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Realm, "record.Realm");
        ArgumentException.ThrowIfNullOrWhiteSpace(record.UserId, "record.UserId");
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Policy, "record.Policy");
        ArgumentException.ThrowIfNullOrWhiteSpace(record.EventKey, "record.EventKey");
        if (record.VersionNumber is null != record.ContentHash is null)
        {
            throw new ArgumentException("A record names both a version number and its content hash, or neither.", nameof(record));
        }

        if (record.LocaleShown is { } locale && !BridgeEventDetails.IsLanguageTag(locale))
        {
            throw new ArgumentException(
                $"A record's locale shown is a language tag of at most {BridgeEventDetails.MaxLocaleLength} characters or null.", nameof(record));
        }
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static AcceptanceDecision DecisionFromDatabase(string value) => value switch
    {
        "accepted" => AcceptanceDecision.Accepted,
        "declined" => AcceptanceDecision.Declined,
        "acknowledged" => AcceptanceDecision.Acknowledged,
        _ => throw new InvalidDataException($"Unknown decision '{value}' in the database."),
    };

    private static AcceptanceSource SourceFromDatabase(string value) => value switch
    {
        "event" => AcceptanceSource.Event,
        "registration" => AcceptanceSource.Registration,
        "timestamp" => AcceptanceSource.Timestamp,
        _ => throw new InvalidDataException($"Unknown source '{value}' in the database."),
    };
}
