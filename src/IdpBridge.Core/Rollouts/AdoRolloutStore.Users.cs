using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Rollouts;

/// <summary>The rows of a rollout's users: what each one's outcome is, their listing, and later changes of an outcome.</summary>
internal sealed partial class AdoRolloutStore
{

    public Task<IReadOnlyDictionary<string, UserOutcome?>> GetOutcomesAsync(
        long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default) =>
        database.GuardAsync<IReadOnlyDictionary<string, UserOutcome?>>(async () =>
        {
            ArgumentNullException.ThrowIfNull(userIds);
            if (userIds.Count == 0)
            {
                return new Dictionary<string, UserOutcome?>(StringComparer.Ordinal);
            }

            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadOutcomesAsync(connection, null, id, userIds, cancellationToken).ConfigureAwait(false);
        });

    public Task<int> ReviseAsync(long id, IReadOnlyList<UserRevision> revisions, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.GuardAsync<int>(async () =>
        {
            ArgumentNullException.ThrowIfNull(revisions);
            if (revisions.Count == 0)
            {
                return 0;
            }

            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var delta = RolloutCounts.Zero;
            var applied = 0;
            foreach (var revision in revisions)
            {
                var row = UserRow.From(revision.Result);
                await using var command = connection.CreateCommand(transaction, revision.Was is null
                    ? "INSERT INTO rollout_users (rollout_id, user_id, outcome, username, reason, errors, remarked, updated_at) " +
                      "VALUES (@id, @user, @outcome, @username, @reason, @errors, @remarked, @now) ON CONFLICT (rollout_id, user_id) DO UPDATE SET " +
                      "outcome = excluded.outcome, username = excluded.username, reason = excluded.reason, errors = excluded.errors, " +
                      "updated_at = excluded.updated_at WHERE rollout_users.outcome = 'pending'"
                    : "UPDATE rollout_users SET outcome = @outcome, username = coalesce(@username, username), reason = @reason, errors = @errors, " +
                      "remarked = remarked + @remarked, updated_at = @now WHERE rollout_id = @id AND user_id = @user AND outcome = @was");
                command.AddParameter("@id", id);
                command.AddParameter("@user", row.UserId);
                command.AddParameter("@outcome", row.Outcome);
                command.AddParameter("@username", row.Username);
                command.AddParameter("@reason", row.Reason);
                command.AddParameter("@errors", row.Errors);
                command.AddParameter("@remarked", revision.Remark ? 1 : 0);
                command.AddParameter("@now", database.ToDatabase(now));
                if (revision.Was is { } was)
                {
                    command.AddParameter("@was", OutcomeToDatabase(was));
                }
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    applied++;
                    delta = delta.Move(revision.Was, revision.Result.Outcome) with { Remarked = delta.Remarked + (revision.Remark ? 1 : 0) };
                }
            }

            await AddCountsAsync(connection, transaction, id, delta, cancellationToken).ConfigureAwait(false);
            if (applied > 0)
            {
                await using var touch = connection.CreateCommand(transaction, "UPDATE rollouts SET updated_at = @now WHERE id = @id");
                touch.AddParameter("@now", database.ToDatabase(now));
                touch.AddParameter("@id", id);
                await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return applied;
        });

    public Task<IReadOnlyList<RolloutUser>> ListUsersAsync(
        long id, RolloutUserKind kind, string? afterUserId, int max, CancellationToken cancellationToken = default) =>
        database.GuardAsync<IReadOnlyList<RolloutUser>>(async () =>
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
            var filter = kind switch
            {
                RolloutUserKind.Failed => "outcome = 'failed'",
                RolloutUserKind.Exempted => "outcome = 'exempted'",
                RolloutUserKind.Remarked => "remarked > 0",
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of rollout user."),
            };
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(
                "SELECT user_id, username, outcome, reason, errors, remarked, updated_at FROM rollout_users " +
                $"WHERE rollout_id = @id AND {filter}{(afterUserId is null ? "" : " AND user_id > @after")} ORDER BY user_id LIMIT @max");
            command.AddParameter("@id", id);
            command.AddParameter("@max", max);
            if (afterUserId is not null)
            {
                command.AddParameter("@after", afterUserId);
            }

            var users = new List<RolloutUser>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                users.Add(new RolloutUser(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    OutcomeFromDatabase(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? [] : ReadErrors(reader.GetString(4)),
                    reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : database.ReadTime(reader, 6)));
            }

            return users;
        });

    public async Task<IReadOnlyList<UserResult>> ListFailuresAsync(long id, int max, CancellationToken cancellationToken = default) =>
        [.. (await ListUsersAsync(id, RolloutUserKind.Failed, null, max, cancellationToken).ConfigureAwait(false))
            .Select(user => new UserResult(user.UserId, UserOutcome.Failed, user.Username, user.Reason, user.Errors.Count == 0 ? null : user.Errors))];

    private static async Task<Dictionary<string, bool>> GetHandledAsync(
        DbConnection connection, DbTransaction? transaction, long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        (await ReadOutcomesAsync(connection, transaction, id, userIds, cancellationToken).ConfigureAwait(false))
            .ToDictionary(pair => pair.Key, pair => pair.Value is not null, StringComparer.Ordinal);

    /// <summary>The users among <paramref name="userIds"/> with a row: their outcome, null while pending.</summary>
    private static async Task<Dictionary<string, UserOutcome?>> ReadOutcomesAsync(
        DbConnection connection, DbTransaction? transaction, long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, UserOutcome?>(StringComparer.Ordinal);
        foreach (var chunk in userIds.Distinct(StringComparer.Ordinal).Chunk(RowsPerInsert))
        {
            await using var command = connection.CreateCommand(transaction, "");
            var sql = new StringBuilder("SELECT user_id, outcome FROM rollout_users WHERE rollout_id = @id AND user_id IN (");
            command.AddParameter("@id", id);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@u{i}");
                command.AddParameter($"@u{i}", chunk[i]);
            }

            command.CommandText = sql.Append(')').ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var outcome = reader.GetString(1);
                outcomes[reader.GetString(0)] = outcome == "pending" ? null : OutcomeFromDatabase(outcome);
            }
        }

        return outcomes;
    }

    private static async Task InsertUsersAsync(
        DbConnection connection, DbTransaction transaction, long id, IReadOnlyList<UserRow> rows, string onConflict, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(RowsPerInsert))
        {
            await using var command = connection.CreateCommand(transaction, "");
            var sql = new StringBuilder("INSERT INTO rollout_users (rollout_id, user_id, outcome, username, reason, errors) VALUES ");
            command.AddParameter("@id", id);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@id, @u{i}, @o{i}, @n{i}, @r{i}, @e{i})");
                command.AddParameter($"@u{i}", chunk[i].UserId);
                command.AddParameter($"@o{i}", chunk[i].Outcome);
                command.AddParameter($"@n{i}", chunk[i].Username);
                command.AddParameter($"@r{i}", chunk[i].Reason);
                command.AddParameter($"@e{i}", chunk[i].Errors);
            }

            command.CommandText = sql.Append(" ON CONFLICT (rollout_id, user_id) ").Append(onConflict).ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <paramref name="delta"/> (which may hold negative numbers: users moved between outcomes) to the rollout's counters.</summary>
    private static async Task AddCountsAsync(DbConnection connection, DbTransaction transaction, long id, RolloutCounts delta, CancellationToken cancellationToken)
    {
        if (delta == RolloutCounts.Zero)
        {
            return;
        }

        await using var count = connection.CreateCommand(transaction,
            "UPDATE rollouts SET marked = marked + @marked, already_pending = already_pending + @pending, " +
            "already_accepted = already_accepted + @accepted, skipped = skipped + @skipped, failed = failed + @failed, " +
            "exempted = exempted + @exempted, remarked = remarked + @remarked WHERE id = @id");
        count.AddParameter("@marked", delta.Marked);
        count.AddParameter("@pending", delta.AlreadyPending);
        count.AddParameter("@accepted", delta.AlreadyAccepted);
        count.AddParameter("@skipped", delta.Skipped);
        count.AddParameter("@failed", delta.Failed);
        count.AddParameter("@exempted", delta.Exempted);
        count.AddParameter("@remarked", delta.Remarked);
        count.AddParameter("@id", id);
        await count.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IReadOnlyList<KeycloakFieldError> ReadErrors(string json) =>
        JsonSerializer.Deserialize(json, IdpBridgeJsonContext.Default.ListKeycloakFieldError) ?? [];

    private static string OutcomeToDatabase(UserOutcome outcome) => outcome switch
    {
        UserOutcome.Marked => "marked",
        UserOutcome.AlreadyPending => "already_pending",
        UserOutcome.AlreadyAccepted => "already_accepted",
        UserOutcome.Skipped => "skipped",
        UserOutcome.Failed => "failed",
        UserOutcome.Exempted => "exempted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown user outcome."),
    };

    private static UserOutcome OutcomeFromDatabase(string outcome) => outcome switch
    {
        "marked" => UserOutcome.Marked,
        "already_pending" => UserOutcome.AlreadyPending,
        "already_accepted" => UserOutcome.AlreadyAccepted,
        "skipped" => UserOutcome.Skipped,
        "failed" => UserOutcome.Failed,
        "exempted" => UserOutcome.Exempted,
        _ => throw new InvalidDataException($"Unknown user outcome '{outcome}' in the database."),
    };

    /// <summary>One row of <c>rollout_users</c> as written.</summary>
    private sealed record UserRow(string UserId, string Outcome, string? Username, string? Reason, string? Errors)
    {
        public static UserRow From(UserResult result) => new(
            result.UserId,
            OutcomeToDatabase(result.Outcome),
            result.Username,
            result.Reason,
            result.Errors is { Count: > 0 } errors ? JsonSerializer.Serialize(errors, IdpBridgeJsonContext.Default.IReadOnlyListKeycloakFieldError) : null);
    }
}
