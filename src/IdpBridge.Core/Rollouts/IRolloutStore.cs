namespace IdpBridge.Core.Rollouts;

/// <summary>What a checkpoint found.</summary>
public enum CheckpointResult
{
    /// <summary>Stored; go on.</summary>
    Stored,

    /// <summary>Stored, but the rollout was cancelled meanwhile: stop.</summary>
    Cancelled,

    /// <summary>Nothing stored: another executor holds the lease now. Stop without writing anything more.</summary>
    LeaseLost,
}

/// <summary>
/// Where rollouts live (the same database as the policies). Every write that belongs to a running rollout names the
/// lease owner and is refused when someone else holds the lease, so two executors never both write.
/// </summary>
public interface IRolloutStore
{
    /// <summary>
    /// Stores a new running rollout for its (realm, policy, version) in phase scan; when that version already has one,
    /// stores nothing and returns it with <c>Created = false</c> (two starters at once get the same rollout).
    /// </summary>
    Task<(Rollout Rollout, bool Created)> CreateAsync(
        string realm, string policy, int versionNumber, string contentHash, DateTimeOffset startedAt, string startedBy, long? usersTotal,
        CancellationToken cancellationToken = default);

    /// <summary>One rollout by id; null when absent.</summary>
    Task<Rollout?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The rollout of one version; null when none was started.</summary>
    Task<Rollout?> FindAsync(string realm, string policy, int versionNumber, CancellationToken cancellationToken = default);

    /// <summary>A realm's rollouts, newest first; every realm's when <paramref name="realm"/> is null.</summary>
    Task<IReadOnlyList<Rollout>> ListAsync(string? realm, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lease of a running rollout for <paramref name="owner"/> until <paramref name="until"/> when nobody
    /// holds it, it expired before <paramref name="now"/>, the owner already holds it, or it is held by
    /// <paramref name="deadOwner"/> (an executor known to be gone). Atomic: of two callers at once, one gets it.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(
        long id, LeaseOwner owner, DateTimeOffset now, DateTimeOffset until, LeaseOwner? deadOwner = null, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when <paramref name="owner"/> no longer holds it.</summary>
    Task<bool> RenewLeaseAsync(long id, LeaseOwner owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the lease up (and records why the executor stopped, and the cap on requests in flight it ran under when
    /// given), so another can take it at once.
    /// </summary>
    Task ReleaseLeaseAsync(
        long id, LeaseOwner owner, string? message, DateTimeOffset now, RolloutInFlight? inFlight = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The users among <paramref name="userIds"/> this rollout already has a row for, and whether that row is final
    /// (true) or still pending (false: a write may have been sent before a crash).
    /// </summary>
    Task<IReadOnlyDictionary<string, bool>> GetHandledAsync(long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Records that writes are about to be sent to these users (pending rows), before they are sent.</summary>
    Task<bool> RecordPendingAsync(long id, LeaseOwner owner, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: records <paramref name="results"/> (replacing their pending rows), drops the pending rows of
    /// <paramref name="abandoned"/> (users whose write was never sent), adds the results to the counters, moves the
    /// cursor and phase, stores <paramref name="inFlight"/> (the cap the executor runs under) when given, and renews the
    /// lease, all in the rollout's one UPDATE. Refused (<see cref="CheckpointResult.LeaseLost"/>) when
    /// <paramref name="owner"/> no longer holds the lease.
    /// </summary>
    Task<CheckpointResult> CheckpointAsync(
        long id, LeaseOwner owner, IReadOnlyList<UserResult> results, IReadOnlyCollection<string> abandoned, RolloutPhase phase,
        ScanCursor cursor, long? usersTotal, DateTimeOffset now, DateTimeOffset leaseUntil, RolloutInFlight? inFlight = null,
        CancellationToken cancellationToken = default);

    /// <summary>Marks a rollout completed and releases its lease; false when <paramref name="owner"/> no longer holds it.</summary>
    Task<bool> CompleteAsync(long id, LeaseOwner owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a running rollout: its executor stops at its next checkpoint, recording what it did. Returns the rollout
    /// after the change (unchanged when it was not running); null when absent.
    /// </summary>
    Task<Rollout?> CancelAsync(long id, string message, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sets a cancelled rollout running again, keeping its cursor and counts; false when it was not cancelled.</summary>
    Task<bool> ReopenAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The users a rollout failed on, in user-id order, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<UserResult>> ListFailuresAsync(long id, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The users among <paramref name="userIds"/> this rollout has a row for, with their outcome (null while pending:
    /// a write may have been sent before a crash).
    /// </summary>
    Task<IReadOnlyDictionary<string, UserOutcome?>> GetOutcomesAsync(long id, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction, applies each revision whose user's row still holds <see cref="UserRevision.Was"/> (or, for
    /// null, has no row yet) and moves the counters along; a revision that finds the row changed is skipped. Needs no
    /// lease: a retry or an exemption may run beside the executor, which never rewrites a final row. Returns how many
    /// were applied.
    /// </summary>
    Task<int> ReviseAsync(long id, IReadOnlyList<UserRevision> revisions, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>A page of a rollout's users of one kind, in user-id order, those after <paramref name="afterUserId"/> (null: from the first).</summary>
    Task<IReadOnlyList<RolloutUser>> ListUsersAsync(
        long id, RolloutUserKind kind, string? afterUserId, int max, CancellationToken cancellationToken = default);
}
