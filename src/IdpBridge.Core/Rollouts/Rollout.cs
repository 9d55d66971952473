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
}

/// <summary>How many users a rollout handled, by outcome. <see cref="Scanned"/> is their sum.</summary>
public sealed record RolloutCounts(long Marked, long AlreadyPending, long AlreadyAccepted, long Skipped, long Failed)
{
    /// <summary>No user yet.</summary>
    public static RolloutCounts Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Users handled, whatever the outcome.</summary>
    public long Scanned => Marked + AlreadyPending + AlreadyAccepted + Skipped + Failed;

    /// <summary>These counts plus one user of <paramref name="outcome"/>.</summary>
    public RolloutCounts Add(UserOutcome outcome) => outcome switch
    {
        UserOutcome.Marked => this with { Marked = Marked + 1 },
        UserOutcome.AlreadyPending => this with { AlreadyPending = AlreadyPending + 1 },
        UserOutcome.AlreadyAccepted => this with { AlreadyAccepted = AlreadyAccepted + 1 },
        UserOutcome.Skipped => this with { Skipped = Skipped + 1 },
        UserOutcome.Failed => this with { Failed = Failed + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown user outcome."),
    };

    /// <summary>The sum of two counts.</summary>
    public RolloutCounts Plus(RolloutCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Marked + other.Marked, AlreadyPending + other.AlreadyPending, AlreadyAccepted + other.AlreadyAccepted,
            Skipped + other.Skipped, Failed + other.Failed);
    }
}

/// <summary>One user's outcome, as a rollout records it.</summary>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="Username">Kept only for <see cref="UserOutcome.Failed"/>, so an administrator can find the user.</param>
/// <param name="Reason">Why it failed (Keycloak's status and message).</param>
public sealed record UserResult(string UserId, UserOutcome Outcome, string? Username = null, string? Reason = null);

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
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Message);
