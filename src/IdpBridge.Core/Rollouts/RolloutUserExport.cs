using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Core.Ledger;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// A rollout's failed, re-marked or exempted users as CSV (for a spreadsheet: one row per attribute Keycloak refused)
/// or JSON (one object per user with Keycloak's errors), read from the store page by page, so memory stays flat. The
/// command line (<c>rollout users</c>) and the admin API write the same columns.
/// </summary>
public static class RolloutUserExport
{
    /// <summary>Users read from the store at a time.</summary>
    private const int Page = 500;

    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The CSV columns, in order, with what each one is.</summary>
    public static IReadOnlyList<(string Name, string Description)> Columns { get; } =
    [
        ("user_id", "Keycloak's user id"),
        ("username", "the username when the rollout met the user"),
        ("outcome", "failed, exempted, or (for a re-marked user) marked"),
        ("field", "the attribute Keycloak's user profile refused (one row per attribute; empty when Keycloak named none)"),
        ("error", "Keycloak's message key, e.g. error-person-name-invalid-character"),
        ("params", "the message's parameters as Keycloak sent them, a JSON array"),
        ("reason", "the reason recorded (status and Keycloak's messages; for an exemption who, when and why)"),
        ("to_fix", "for a refused user, what to correct in the admin console before 'idpbridge rollout retry'"),
        ("remarked", "how many times the closing sweep found the action gone and put it back"),
        ("updated_at_utc", "when the outcome last changed after the walk recorded it (a retry, an exemption, a re-mark), ISO-8601 UTC"),
    ];

    /// <summary>Every user of <paramref name="kind"/> of the rollout, in user-id order, a page at a time.</summary>
    public static async IAsyncEnumerable<RolloutUser> ReadAllAsync(
        IRolloutStore store, long rolloutId, RolloutUserKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? after = null;
        while (true)
        {
            var page = await store.ListUsersAsync(rolloutId, kind, after, Page, cancellationToken).ConfigureAwait(false);
            foreach (var user in page)
            {
                yield return user;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            after = page[^1].UserId;
        }
    }

    /// <summary>Writes <paramref name="users"/> as CSV (header row, CRLF, optional byte-order mark); returns how many users.</summary>
    public static async Task<long> WriteCsvAsync(IAsyncEnumerable<RolloutUser> users, Stream output, CsvSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(output);
        settings ??= new CsvSettings();
        CsvLines.CheckDelimiter(settings.Delimiter, nameof(settings));
        var writer = new StreamWriter(output, new UTF8Encoding(settings.ByteOrderMark), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await using (writer.ConfigureAwait(false))
        {
            var line = new StringBuilder(256);
            await CsvLines.WriteAsync(writer, line, Columns.Select(column => (string?)column.Name), settings.Delimiter).ConfigureAwait(false);
            long count = 0;
            await foreach (var user in users.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                count++;
                var errors = user.Errors.Count == 0 ? [null] : user.Errors.Select(error => (Keycloak.KeycloakFieldError?)error).ToList();
                foreach (var error in errors)
                {
                    await CsvLines.WriteAsync(writer, line,
                    [
                        user.UserId, user.Username, Describe(user.Outcome), error?.Field, error?.ErrorMessage,
                        error is null ? null : JsonSerializer.Serialize(error.Params, IdpBridgeJsonContext.Default.IReadOnlyListString), user.Reason, ToFix(user),
                        user.Remarked.ToString(CultureInfo.InvariantCulture), user.UpdatedAt is { } at ? LedgerExport.Time(at) : null,
                    ], settings.Delimiter).ConfigureAwait(false);
                }
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <summary>Writes <paramref name="users"/> as one JSON array of <see cref="ToJson"/> objects; returns how many.</summary>
    public static async Task<long> WriteJsonAsync(IAsyncEnumerable<RolloutUser> users, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        var json = new Utf8JsonWriter(output, Compact);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartArray();
            long count = 0;
            await foreach (var user in users.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                ToJson(user).WriteTo(json);
                if (++count % 100 == 0)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            json.WriteEndArray();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <summary>One user as the JSON outputs show them: <see cref="RolloutUserReport"/>.</summary>
    public static JsonObject ToJson(RolloutUser user) =>
        JsonSerializer.SerializeToNode(RolloutUserReport.From(user), IdpBridgeJson.TypeInfo<RolloutUserReport>())!.AsObject();

    /// <summary>"failed", "already_pending"...: an outcome as the exports and outputs name it.</summary>
    public static string Describe(UserOutcome outcome) => JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());

    /// <summary>What to correct before a retry; null when the user is not refused for their data.</summary>
    public static string? ToFix(RolloutUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Outcome == UserOutcome.Failed && user.Errors.Count > 0 ? UserRefusal.WhatToFix(user.Errors) : null;
    }
}
