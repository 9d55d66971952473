using IdpBridge.Keycloak;

namespace IdpBridge.Core.Rollouts;

/// <summary>Where a rollout is in its life.</summary>
public enum RolloutStatus
{
    /// <summary>Started and not finished: an executor works on it, or will when one takes its lease (after a crash, on resume).</summary>
    Running,

    /// <summary>Every user was walked twice (the scan, then the closing sweep).</summary>
    Completed,

    /// <summary>Stopped by <c>rollout cancel</c> (or superseded by a newer material version); <c>rollout resume</c> continues it.</summary>
    Cancelled,
}

/// <summary>Which walk over the users a running rollout is in.</summary>
public enum RolloutPhase
{
    /// <summary>The first walk, in username order.</summary>
    Scan,

    /// <summary>The closing walk, which handles users the scan passed over (renamed from after its cursor to before it).</summary>
    Sweep,

    /// <summary>Both walks are over.</summary>
    Done,
}

/// <summary>What a rollout did with one user.</summary>
public enum UserOutcome
{
    /// <summary><c>TERMS_AND_CONDITIONS</c> was added to the user's required actions.</summary>
    Marked,

    /// <summary>The user already carried <c>TERMS_AND_CONDITIONS</c>: nothing sent.</summary>
    AlreadyPending,

    /// <summary>The user accepted at or after the rollout's start: nothing sent.</summary>
    AlreadyAccepted,

    /// <summary>A service account: it never logs in, nothing sent.</summary>
    Skipped,

    /// <summary>Keycloak refused the user (400 legacy data, 404 deleted meanwhile...): see the reason.</summary>
    Failed,

    /// <summary>An administrator exempted the user (<c>rollout exempt</c>): the rollout, its sweep and retries leave them alone.</summary>
    Exempted,
}

/// <summary>How many users a rollout handled, by outcome. <see cref="Scanned"/> is their sum.</summary>
/// <param name="Marked">Users the rollout added the action to.</param>
/// <param name="AlreadyPending">Users who carried it already.</param>
/// <param name="AlreadyAccepted">Users who accepted since the start.</param>
/// <param name="Skipped">Service accounts.</param>
/// <param name="Failed">Users Keycloak refused (or who vanished).</param>
/// <param name="Exempted">Users an administrator exempted.</param>
/// <param name="Remarked">
/// Not an outcome but how often the closing sweep found the action gone from a user recorded as carrying it (a write
/// Keycloak acknowledged and lost, another tool's PUT) and put it back; those users are counted as marked.
/// </param>
public sealed record RolloutCounts(long Marked, long AlreadyPending, long AlreadyAccepted, long Skipped, long Failed, long Exempted = 0, long Remarked = 0)
{
    /// <summary>No user yet.</summary>
    public static RolloutCounts Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Users handled, whatever the outcome.</summary>
    public long Scanned => Marked + AlreadyPending + AlreadyAccepted + Skipped + Failed + Exempted;

    /// <summary>These counts plus one user of <paramref name="outcome"/>.</summary>
    public RolloutCounts Add(UserOutcome outcome) => Shift(outcome, 1);

    /// <summary>These counts with one user moved from <paramref name="from"/> (null: not counted before) to <paramref name="to"/>.</summary>
    public RolloutCounts Move(UserOutcome? from, UserOutcome to) => (from is { } before ? Shift(before, -1) : this).Shift(to, 1);

    /// <summary>The sum of two counts.</summary>
    public RolloutCounts Plus(RolloutCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Marked + other.Marked, AlreadyPending + other.AlreadyPending, AlreadyAccepted + other.AlreadyAccepted,
            Skipped + other.Skipped, Failed + other.Failed, Exempted + other.Exempted, Remarked + other.Remarked);
    }

    private RolloutCounts Shift(UserOutcome outcome, long by) => outcome switch
    {
        UserOutcome.Marked => this with { Marked = Marked + by },
        UserOutcome.AlreadyPending => this with { AlreadyPending = AlreadyPending + by },
        UserOutcome.AlreadyAccepted => this with { AlreadyAccepted = AlreadyAccepted + by },
        UserOutcome.Skipped => this with { Skipped = Skipped + by },
        UserOutcome.Failed => this with { Failed = Failed + by },
        UserOutcome.Exempted => this with { Exempted = Exempted + by },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown user outcome."),
    };
}

/// <summary>One user's outcome, as a rollout records it.</summary>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="Username">Kept for failed, exempted and re-marked users, so an administrator can find the user.</param>
/// <param name="Reason">Why it failed (Keycloak's status and message), or why the user was exempted.</param>
/// <param name="Errors">What Keycloak's user profile validation refused (400), field by field; null otherwise.</param>
public sealed record UserResult(
    string UserId, UserOutcome Outcome, string? Username = null, string? Reason = null, IReadOnlyList<KeycloakFieldError>? Errors = null);

/// <summary>
/// A change of a user's final outcome after the walk recorded it: a retry of a refused user, an exemption, or the
/// closing sweep putting back an action that vanished. Applied only while the user's row still holds
/// <see cref="Was"/>, so two changes of the same user at once never both count.
/// </summary>
/// <param name="Result">The new outcome.</param>
/// <param name="Was">
/// The outcome the row must hold now; null when the user must have no final outcome yet (no row: an exemption ahead of
/// the walk; or a pending row a stopped run left).
/// </param>
/// <param name="Remark">The sweep put the action back (counted in <see cref="RolloutCounts.Remarked"/>).</param>
public sealed record UserRevision(UserResult Result, UserOutcome? Was, bool Remark = false);

/// <summary>Which of a rollout's users a listing shows.</summary>
public enum RolloutUserKind
{
    /// <summary>Users Keycloak refused or who vanished (<see cref="UserOutcome.Failed"/>).</summary>
    Failed,

    /// <summary>Users whose action the closing sweep put back.</summary>
    Remarked,

    /// <summary>Users an administrator exempted.</summary>
    Exempted,
}

/// <summary>One user of a rollout as a listing shows them.</summary>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Username">The username when it was recorded.</param>
/// <param name="Outcome">The user's outcome now.</param>
/// <param name="Reason">Why they failed or were exempted.</param>
/// <param name="Errors">What Keycloak refused, field by field (empty unless a 400).</param>
/// <param name="Remarked">How many times the sweep put the action back.</param>
/// <param name="UpdatedAt">When the row last changed after its first outcome; null when it never did.</param>
public sealed record RolloutUser(
    string UserId, string? Username, UserOutcome Outcome, string? Reason, IReadOnlyList<KeycloakFieldError> Errors, int Remarked, DateTimeOffset? UpdatedAt);

/// <summary>
/// The re-acceptance rollout of one material policy version of one realm: every user who has not accepted since
/// <see cref="StartedAt"/> gets <c>TERMS_AND_CONDITIONS</c> among their required actions.
/// </summary>
/// <param name="Id">The store's id.</param>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy (<c>privacy</c>).</param>
/// <param name="VersionNumber">The material version users must accept.</param>
/// <param name="ContentHash">That version's content hash, for the record.</param>
/// <param name="StartedAt">When it started: a <c>terms_and_conditions</c> time at or after it counts as accepting this version.</param>
/// <param name="StartedBy">Who started it (<c>cli</c>, <c>service</c>, <c>admin-api:&lt;user&gt;</c>).</param>
/// <param name="Status">Running, completed or cancelled.</param>
/// <param name="Phase">Scan, sweep or done.</param>
/// <param name="Cursor">Where the current walk stands.</param>
/// <param name="UsersTotal">Keycloak's user count when the current walk began (for progress; users come and go).</param>
/// <param name="Counts">Users handled, by outcome.</param>
/// <param name="LeaseOwner">The executor running it now (<c>host/pid/nonce</c>), or null.</param>
/// <param name="LeaseUntil">Until when that executor's lease holds unless renewed.</param>
/// <param name="UpdatedAt">The last checkpoint.</param>
/// <param name="FinishedAt">When it completed or was cancelled.</param>
/// <param name="Message">Why it was cancelled or last stopped, when it was.</param>
public sealed record Rollout(
    long Id,
    string Realm,
    string Policy,
    int VersionNumber,
    string ContentHash,
    DateTimeOffset StartedAt,
    string StartedBy,
    RolloutStatus Status,
    RolloutPhase Phase,
    ScanCursor Cursor,
    long? UsersTotal,
    RolloutCounts Counts,
    LeaseOwner? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Message)
{
    /// <summary>The cap on requests in flight its executor ran under at the last checkpoint; null before any.</summary>
    public RolloutInFlight? InFlight { get; init; }
}
