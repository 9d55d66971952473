namespace IdpBridge.Core.Ledger;

/// <summary>
/// The acceptance ledger's storage. Append-only: nothing updates a record, and the only deletion is the explicit,
/// recorded retention prune (<see cref="PruneAsync"/>), which the database itself refuses otherwise.
/// </summary>
public interface IAcceptanceLedger
{
    /// <summary>
    /// Stores the records, in order, in one transaction; a record whose <see cref="AcceptanceRecord.EventKey"/> the
    /// realm already has is skipped. Returns how many were new.
    /// </summary>
    Task<int> AppendAsync(IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The records <paramref name="query"/> selects, oldest first (then in insertion order), streamed from the database.</summary>
    IAsyncEnumerable<AcceptanceRecord> ReadAsync(LedgerQuery query, CancellationToken cancellationToken = default);

    /// <summary>The newest Keycloak event time already read for the realm; null before the first sync.</summary>
    Task<DateTimeOffset?> GetWatermarkAsync(string realm, CancellationToken cancellationToken = default);

    /// <summary>Moves the realm's watermark to <paramref name="through"/> when that is later than the stored one.</summary>
    Task AdvanceWatermarkAsync(string realm, DateTimeOffset through, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Of <paramref name="eventKeys"/>, those the realm's record already holds.</summary>
    Task<IReadOnlySet<string>> FindKeysAsync(string realm, IReadOnlyCollection<string> eventKeys, CancellationToken cancellationToken = default);

    /// <summary>Of the given users, those with an acceptance recorded within their window (inclusive).</summary>
    Task<IReadOnlySet<string>> FindAcceptedWithinAsync(
        string realm, IReadOnlyList<(string UserId, DateTimeOffset From, DateTimeOffset To)> windows, CancellationToken cancellationToken = default);

    /// <summary>How many distinct users accepted and declined one version.</summary>
    Task<LedgerTally> TallyAsync(string realm, string policy, int versionNumber, CancellationToken cancellationToken = default);

    /// <summary>Each user's first acceptance of one version, streamed.</summary>
    IAsyncEnumerable<(string UserId, DateTimeOffset AcceptedAt)> FirstAcceptancesAsync(
        string realm, string policy, int versionNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// The retention path, the one way records leave the ledger: records a prune (realm, cut-off, time, count) in the
    /// append-only prune table and deletes the realm's records older than <paramref name="before"/>, in one transaction.
    /// The database refuses any other deletion. Returns how many records were deleted.
    /// </summary>
    Task<long> PruneAsync(string realm, DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken = default);
}
