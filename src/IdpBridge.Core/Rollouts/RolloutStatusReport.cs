using System.Text.Json.Serialization;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// A rollout as every output shows it: the CLI's <c>--output json</c> (<c>rollout start|status|resume|retry</c>) and the
/// admin API (<c>GET /api/admin/realms/{realm}/rollouts/...</c>) write this one record with <see cref="IdpBridgeJson"/>,
/// so both have the same names (docs/cli-json.md lists them).
/// </summary>
/// <param name="Id">The store's id of the rollout.</param>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy (<c>privacy</c>).</param>
/// <param name="Version">The policy version users must accept.</param>
/// <param name="ContentHash">That version's content hash.</param>
/// <param name="Status"><c>running</c>, <c>completed</c> or <c>cancelled</c>.</param>
/// <param name="Phase"><c>scan</c>, <c>sweep</c> or <c>done</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="StartedBy">Who started it (<c>cli</c>, <c>service</c>, <c>admin-api:&lt;user&gt;</c>).</param>
/// <param name="FinishedAt">When it completed or was cancelled; null while running.</param>
/// <param name="UpdatedAt">When its record last changed.</param>
/// <param name="UsersTotal">Users in the realm when the current walk began.</param>
/// <param name="Progress">How far the current walk is, between 0 and 1 (1 once completed); null before the count.</param>
/// <param name="Counts">Users by outcome.</param>
/// <param name="Cursor">Where the current walk is.</param>
/// <param name="LeaseOwner">The executor holding it; null when none.</param>
/// <param name="LeaseUntil">Until when that executor holds it.</param>
/// <param name="Message">Why it stopped or was cancelled, when it says.</param>
/// <param name="InFlight">
/// The cap on requests in flight its executor ran under at the last checkpoint, and its last change as a code and facts;
/// null before the first checkpoint.
/// </param>
/// <param name="Failures">The users Keycloak refused (the admin API: the first <c>usersShown</c>; the CLI: all).</param>
/// <param name="Remarked">The users the closing sweep re-marked (as above).</param>
/// <param name="Exempted">The users an administrator exempted (as above).</param>
public sealed record RolloutStatusReport(
    long Id,
    string Realm,
    string Policy,
    int Version,
    string ContentHash,
    string Status,
    string Phase,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt,
    long? UsersTotal,
    double? Progress,
    RolloutCounts Counts,
    ScanCursor Cursor,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    string? Message,
    RolloutInFlight? InFlight,
    IReadOnlyList<RolloutUserReport> Failures,
    IReadOnlyList<RolloutUserReport> Remarked,
    IReadOnlyList<RolloutUserReport> Exempted)
{
    /// <summary>How the run of a CLI command that ran the rollout ended (<c>rollout start|resume</c>); absent elsewhere.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RolloutRunReport? Run { get; init; }

    /// <summary>The report of <paramref name="rollout"/> with the users listed (none when null).</summary>
    public static RolloutStatusReport From(
        Rollout rollout, IEnumerable<RolloutUser>? failed = null, IEnumerable<RolloutUser>? remarked = null, IEnumerable<RolloutUser>? exempted = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return new(
            rollout.Id, rollout.Realm, rollout.Policy, rollout.VersionNumber, rollout.ContentHash,
            RolloutService.Describe(rollout.Status), RolloutService.Describe(rollout.Phase), rollout.StartedAt, rollout.StartedBy,
            rollout.FinishedAt, rollout.UpdatedAt, rollout.UsersTotal, ProgressOf(rollout), rollout.Counts, rollout.Cursor,
            rollout.LeaseOwner?.Value, rollout.LeaseUntil, rollout.Message, rollout.InFlight, Users(failed), Users(remarked), Users(exempted));
    }

    /// <summary>
    /// The report of <paramref name="rollout"/> with up to <paramref name="shown"/> users of each kind read from
    /// <paramref name="store"/> (all of them when null), in user-id order.
    /// </summary>
    public static async Task<RolloutStatusReport> ReadAsync(IRolloutStore store, Rollout rollout, int? shown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rollout);
        return From(
            rollout,
            await ListAsync(store, rollout, RolloutUserKind.Failed, rollout.Counts.Failed, shown, cancellationToken).ConfigureAwait(false),
            await ListAsync(store, rollout, RolloutUserKind.Remarked, rollout.Counts.Remarked, shown, cancellationToken).ConfigureAwait(false),
            await ListAsync(store, rollout, RolloutUserKind.Exempted, rollout.Counts.Exempted, shown, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IReadOnlyList<RolloutUser>> ListAsync(
        IRolloutStore store, Rollout rollout, RolloutUserKind kind, long count, int? shown, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return [];
        }

        var all = RolloutUserExport.ReadAllAsync(store, rollout.Id, kind, cancellationToken);
        return shown is { } most
            ? await all.Take(most).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await all.ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<RolloutUserReport> Users(IEnumerable<RolloutUser>? users) => users?.Select(RolloutUserReport.From).ToList() ?? [];

    /// <summary>How far the current walk is (cursor offset over the user count when it began), between 0 and 1; 1 once completed.</summary>
    private static double? ProgressOf(Rollout rollout) => rollout switch
    {
        { Status: RolloutStatus.Completed } => 1,
        { UsersTotal: null } => null,
        { UsersTotal: 0 } => 0,
        _ => Math.Min(1, (double)rollout.Cursor.Offset / rollout.UsersTotal.Value),
    };
}

/// <summary>How a command's run of a rollout ended.</summary>
/// <param name="End"><c>completed</c>, <c>cancelled</c>, <c>interrupted</c>, <c>busy</c>, <c>not_running</c>...</param>
/// <param name="Message">What the run said about its end, when it did.</param>
public sealed record RolloutRunReport(RunEnd End, string? Message);

/// <summary>
/// One user of a rollout as every output shows them (the reports above, <c>rollout users --output json</c>, the admin
/// API's <c>.../users</c>).
/// </summary>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Username">The username when the rollout met the user.</param>
/// <param name="Outcome"><c>failed</c>, <c>exempted</c>, <c>marked</c>...</param>
/// <param name="Reason">The reason recorded.</param>
/// <param name="Errors">The attributes Keycloak's user profile refused.</param>
/// <param name="ToFix">For a refused user, what to correct before a retry.</param>
/// <param name="Remarked">How many times the closing sweep put the action back.</param>
/// <param name="UpdatedAt">When the outcome last changed after the walk recorded it.</param>
public sealed record RolloutUserReport(
    string UserId, string? Username, UserOutcome Outcome, string? Reason, IReadOnlyList<KeycloakFieldError> Errors, string? ToFix, int Remarked,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>The report of <paramref name="user"/>.</summary>
    public static RolloutUserReport From(RolloutUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.UserId, user.Username, user.Outcome, user.Reason, user.Errors, RolloutUserExport.ToFix(user), user.Remarked, user.UpdatedAt);
    }
}
