using System.Data.Common;
using System.Globalization;
using System.Text;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// Rollouts in either database, through plain ADO.NET. The lease is a conditional <c>UPDATE</c> of the rollout's row:
/// the database's row lock (PostgreSQL) or file write lock (SQLite) makes two executors at once see one winner, on
/// any number of replicas.
/// </summary>
internal sealed partial class AdoRolloutStore(IAdoDatabase database) : IRolloutStore
{
    private const string SelectRollouts =
        "SELECT id, realm, policy, version_number, content_hash, started_at, started_by, status, phase, cursor_username, " +
        "cursor_offset, users_total, marked, already_pending, already_accepted, skipped, failed, lease_owner, lease_until, " +
        "updated_at, finished_at, message, exempted, remarked" + InFlightColumns + "FROM rollouts ";

    /// <summary>Rows per multi-row INSERT: 5 parameters each stays far below both providers' parameter limits.</summary>
    private const int RowsPerInsert = 200;

    public Task<(Rollout Rollout, bool Created)> CreateAsync(
        string realm, string policy, int versionNumber, string contentHash, DateTimeOffset startedAt, string startedBy, long? usersTotal,
        CancellationToken cancellationToken = default) =>
        database.GuardAsync<(Rollout Rollout, bool Created)>(async () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(realm);
            ArgumentException.ThrowIfNullOrEmpty(policy);
            ArgumentException.ThrowIfNullOrEmpty(contentHash);
            ArgumentException.ThrowIfNullOrEmpty(startedBy);
            var started = StoreTime.TruncateToMilliseconds(startedAt);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (var insert = connection.CreateCommand(transaction,
                "INSERT INTO rollouts (realm, policy, version_number, content_hash, started_at, started_by, status, phase, users_total, updated_at) " +
                "VALUES (@realm, @policy, @version, @hash, @started, @by, 'running', 'scan', @total, @started) " +
                "ON CONFLICT (realm, policy, version_number) DO NOTHING"))
            {
                insert.AddParameter("@realm", realm);
                insert.AddParameter("@policy", policy);
                insert.AddParameter("@version", versionNumber);
                insert.AddParameter("@hash", contentHash);
                insert.AddParameter("@started", database.ToDatabase(started));
                insert.AddParameter("@by", startedBy);
                insert.AddParameter("@total", usersTotal);
                var created = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                var rollout = await FindAsync(connection, transaction, realm, policy, versionNumber, cancellationToken).ConfigureAwait(false)
                    ?? throw new StorageException($"The rollout of {realm}/{policy} v{versionNumber} vanished while it was created.");
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (rollout, created);
            }
        });

    public async Task<Rollout?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync("WHERE id = @id", command => command.AddParameter("@id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<Rollout?> FindAsync(string realm, string policy, int versionNumber, CancellationToken cancellationToken = default) =>
        database.GuardAsync<Rollout?>(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await FindAsync(connection, null, realm, policy, versionNumber, cancellationToken).ConfigureAwait(false);
        });

    public Task<IReadOnlyList<Rollout>> ListAsync(string? realm, CancellationToken cancellationToken = default) =>
        realm is null
            ? ReadAsync("ORDER BY id DESC", _ => { }, cancellationToken)
            : ReadAsync("WHERE realm = @realm ORDER BY id DESC", command => command.AddParameter("@realm", realm), cancellationToken);

    public async Task<bool> TryAcquireLeaseAsync(
        long id, LeaseOwner owner, DateTimeOffset now, DateTimeOffset until, LeaseOwner? deadOwner = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner.Value);
        return await ExecuteAsync(
            "UPDATE rollouts SET lease_owner = @owner, lease_until = @until, message = NULL WHERE id = @id AND status = 'running' " +
            "AND (lease_owner IS NULL OR lease_until < @now OR lease_owner = @owner OR lease_owner = @dead)",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@owner", owner.Value);
                command.AddParameter("@now", database.ToDatabase(now));
                command.AddParameter("@until", database.ToDatabase(until));
                command.AddParameter("@dead", deadOwner?.Value);
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RenewLeaseAsync(long id, LeaseOwner owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE rollouts SET lease_until = @until WHERE id = @id AND lease_owner = @owner",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@owner", owner.Value);
                command.AddParameter("@until", database.ToDatabase(until));
            },
            cancellationToken).ConfigureAwait(false) == 1;

    public Task ReleaseLeaseAsync(
        long id, LeaseOwner owner, string? message, DateTimeOffset now, RolloutInFlight? inFlight = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE rollouts SET lease_owner = NULL, lease_until = NULL, updated_at = @now, message = coalesce(@message, message)" +
            InFlightAssignments(inFlight) + " WHERE id = @id AND lease_owner = @owner",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@owner", owner.Value);
                command.AddParameter("@now", database.ToDatabase(now));
                command.AddParameter("@message", message);
                BindInFlight(command, inFlight);
            },
            cancellationToken);

    public Task<IReadOnlyDictionary<string, bool>> GetHandledAsync(
        long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        database.GuardAsync<IReadOnlyDictionary<string, bool>>(async () =>
        {
            ArgumentNullException.ThrowIfNull(userIds);
            if (userIds.Count == 0)
            {
                return new Dictionary<string, bool>(StringComparer.Ordinal);
            }

            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await GetHandledAsync(connection, null, id, userIds, cancellationToken).ConfigureAwait(false);
        });

    public Task<bool> RecordPendingAsync(long id, LeaseOwner owner, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        database.GuardAsync<bool>(async () =>
        {
            ArgumentNullException.ThrowIfNull(userIds);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            if (!await HoldsLeaseAsync(connection, transaction, id, owner, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await InsertUsersAsync(
                connection, transaction, id, [.. userIds.Select(userId => new UserRow(userId, "pending", null, null, null))],
                "DO NOTHING", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task<CheckpointResult> CheckpointAsync(
        long id, LeaseOwner owner, IReadOnlyList<UserResult> results, IReadOnlyCollection<string> abandoned, RolloutPhase phase,
        ScanCursor cursor, long? usersTotal, DateTimeOffset now, DateTimeOffset leaseUntil, RolloutInFlight? inFlight = null,
        CancellationToken cancellationToken = default) =>
        database.GuardAsync<CheckpointResult>(async () =>
        {
            ArgumentNullException.ThrowIfNull(results);
            ArgumentNullException.ThrowIfNull(abandoned);
            ArgumentNullException.ThrowIfNull(cursor);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

            // This UPDATE checks the lease and, on PostgreSQL, locks the rollout's row until the commit (SQLite holds the
            // file's write lock already), so what is read below cannot change before the counters are written.
            await using (var update = connection.CreateCommand(transaction,
                "UPDATE rollouts SET phase = @phase, cursor_username = @after, cursor_offset = @offset, " +
                "users_total = coalesce(@total, users_total), lease_until = @until, updated_at = @now" + InFlightAssignments(inFlight) +
                " WHERE id = @id AND lease_owner = @owner"))
            {
                update.AddParameter("@phase", PhaseToDatabase(phase));
                update.AddParameter("@after", cursor.AfterUsername);
                update.AddParameter("@offset", cursor.Offset);
                update.AddParameter("@total", usersTotal);
                update.AddParameter("@until", database.ToDatabase(leaseUntil));
                update.AddParameter("@now", database.ToDatabase(now));
                update.AddParameter("@id", id);
                update.AddParameter("@owner", owner.Value);
                BindInFlight(update, inFlight);
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                {
                    return CheckpointResult.LeaseLost;
                }
            }

            // A user counts once: an outcome for a user who already has a final row (a page read twice) changes nothing.
            var handled = await GetHandledAsync(connection, transaction, id, [.. results.Select(result => result.UserId)], cancellationToken)
                .ConfigureAwait(false);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var fresh = results.Where(result => !(handled.TryGetValue(result.UserId, out var final) && final) && seen.Add(result.UserId)).ToList();
            await InsertUsersAsync(
                connection, transaction, id,
                [.. fresh.Select(UserRow.From)],
                "DO UPDATE SET outcome = excluded.outcome, username = excluded.username, reason = excluded.reason, errors = excluded.errors " +
                "WHERE rollout_users.outcome = 'pending'",
                cancellationToken).ConfigureAwait(false);
            await AddCountsAsync(connection, transaction, id, fresh.Aggregate(RolloutCounts.Zero, (sum, result) => sum.Add(result.Outcome)), cancellationToken)
                .ConfigureAwait(false);

            foreach (var userId in abandoned)
            {
                await using var delete = connection.CreateCommand(transaction,
                    "DELETE FROM rollout_users WHERE rollout_id = @id AND user_id = @user AND outcome = 'pending'");
                delete.AddParameter("@id", id);
                delete.AddParameter("@user", userId);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            string status;
            await using (var read = connection.CreateCommand(transaction, "SELECT status FROM rollouts WHERE id = @id"))
            {
                read.AddParameter("@id", id);
                status = (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return status == "running" ? CheckpointResult.Stored : CheckpointResult.Cancelled;
        });

    public async Task<bool> CompleteAsync(long id, LeaseOwner owner, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE rollouts SET status = 'completed', phase = 'done', lease_owner = NULL, lease_until = NULL, finished_at = @now, " +
            "updated_at = @now, message = NULL WHERE id = @id AND lease_owner = @owner AND status = 'running'",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@owner", owner.Value);
                command.AddParameter("@now", database.ToDatabase(now));
            },
            cancellationToken).ConfigureAwait(false) == 1;

    public async Task<Rollout?> CancelAsync(long id, string message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        await ExecuteAsync(
            "UPDATE rollouts SET status = 'cancelled', finished_at = @now, updated_at = @now, message = @message " +
            "WHERE id = @id AND status = 'running'",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@now", database.ToDatabase(now));
                command.AddParameter("@message", message);
            },
            cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReopenAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE rollouts SET status = 'running', finished_at = NULL, updated_at = @now, message = NULL " +
            "WHERE id = @id AND status = 'cancelled'",
            command =>
            {
                command.AddParameter("@id", id);
                command.AddParameter("@now", database.ToDatabase(now));
            },
            cancellationToken).ConfigureAwait(false) == 1;

    private async Task<Rollout?> FindAsync(
        DbConnection connection, DbTransaction? transaction, string realm, string policy, int versionNumber, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction,
            SelectRollouts + "WHERE realm = @realm AND policy = @policy AND version_number = @version");
        command.AddParameter("@realm", realm);
        command.AddParameter("@policy", policy);
        command.AddParameter("@version", versionNumber);
        var found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private Task<IReadOnlyList<Rollout>> ReadAsync(string filter, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        database.GuardAsync<IReadOnlyList<Rollout>>(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(SelectRollouts + filter);
            bind(command);
            return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        });

    private async Task<IReadOnlyList<Rollout>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rollouts = new List<Rollout>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rollouts.Add(new Rollout(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.GetString(4),
                database.ReadTime(reader, 5),
                reader.GetString(6),
                StatusFromDatabase(reader.GetString(7)),
                PhaseFromDatabase(reader.GetString(8)),
                new ScanCursor(reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt32(10)),
                reader.IsDBNull(11) ? null : reader.GetInt64(11),
                new RolloutCounts(
                    reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16), reader.GetInt64(22), reader.GetInt64(23)),
                reader.IsDBNull(17) ? null : new LeaseOwner(reader.GetString(17)),
                reader.IsDBNull(18) ? null : database.ReadTime(reader, 18),
                database.ReadTime(reader, 19),
                reader.IsDBNull(20) ? null : database.ReadTime(reader, 20),
                reader.IsDBNull(21) ? null : reader.GetString(21))
            {
                InFlight = ReadInFlight(reader),
            });
        }

        return rollouts;
    }

    private static async Task<bool> HoldsLeaseAsync(
        DbConnection connection, DbTransaction transaction, long id, LeaseOwner owner, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT count(*) FROM rollouts WHERE id = @id AND lease_owner = @owner");
        command.AddParameter("@id", id);
        command.AddParameter("@owner", owner.Value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
    }

    private Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        database.GuardAsync<int>(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(sql);
            bind(command);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });

    private static string PhaseToDatabase(RolloutPhase phase) => phase switch
    {
        RolloutPhase.Scan => "scan",
        RolloutPhase.Sweep => "sweep",
        RolloutPhase.Done => "done",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown rollout phase."),
    };

    private static RolloutPhase PhaseFromDatabase(string phase) => phase switch
    {
        "scan" => RolloutPhase.Scan,
        "sweep" => RolloutPhase.Sweep,
        "done" => RolloutPhase.Done,
        _ => throw new InvalidDataException($"Unknown rollout phase '{phase}' in the database."),
    };

    private static RolloutStatus StatusFromDatabase(string status) => status switch
    {
        "running" => RolloutStatus.Running,
        "completed" => RolloutStatus.Completed,
        "cancelled" => RolloutStatus.Cancelled,
        _ => throw new InvalidDataException($"Unknown rollout status '{status}' in the database."),
    };
}
