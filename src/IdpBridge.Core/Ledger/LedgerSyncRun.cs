using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Events;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// One <see cref="LedgerSync"/>'s state: what it maps events with, the usernames it has looked up, and its counters.
/// </summary>
/// <remarks>
/// Keycloak's login events carry the login as the person typed it (<c>details.username</c>: an email where the realm
/// allows signing in with one, other capitals), not the username; on Keycloak 26.7.3 a user <c>carl</c> who signs in
/// as <c>CARL@Example.org</c> gets that text in the event. The record keeps the username instead, read from Keycloak
/// once per user and sync, and only for decisions it does not hold yet; null when the user no longer exists.
/// </remarks>
internal sealed class LedgerSyncRun(
    KeycloakAdminClient keycloak, IAcceptanceLedger ledger, string realm, string policy, VersionTimeline versions, bool registrationAcceptsTerms,
    DateTimeOffset started)
{
    private readonly Dictionary<string, string?> usernames = new(StringComparer.Ordinal);

    public string Realm => realm;

    public string Policy => policy;

    public VersionTimeline Versions => versions;

    public DateTimeOffset Started => started;

    /// <summary>The newest event time read so far.</summary>
    public DateTimeOffset? Newest { get; private set; }

    public int EventsRead { get; private set; }

    public int Recorded { get; private set; }

    public int AlreadyRecorded { get; private set; }

    /// <summary>Records the decisions of one page of events, each once.</summary>
    public async Task RecordAsync(IReadOnlyList<EventRepresentation> page, CancellationToken cancellationToken)
    {
        EventsRead += page.Count;
        foreach (var keycloakEvent in page)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(keycloakEvent.Time);
            if (Newest is null || at > Newest)
            {
                Newest = at;
            }
        }

        // Oldest first, so that records of one user keep the order of the user's decisions.
        var records = page
            .Select(keycloakEvent => AcceptanceEvents.ToRecord(keycloakEvent, realm, policy, versions, registrationAcceptsTerms, started))
            .OfType<AcceptanceRecord>()
            .OrderBy(record => record.OccurredAt)
            .ToList();
        var known = await ledger.FindKeysAsync(realm, records.Select(record => record.EventKey).ToList(), cancellationToken).ConfigureAwait(false);
        var fresh = new List<AcceptanceRecord>(records.Count - known.Count);
        foreach (var record in records.Where(record => !known.Contains(record.EventKey)))
        {
            fresh.Add(record with { Username = await UsernameAsync(record.UserId, cancellationToken).ConfigureAwait(false) });
        }

        // Another sync may store some of them meanwhile: the append skips those, and they count as already recorded.
        var added = await ledger.AppendAsync(fresh, cancellationToken).ConfigureAwait(false);
        Recorded += added;
        AlreadyRecorded += records.Count - added;
    }

    private async Task<string?> UsernameAsync(string userId, CancellationToken cancellationToken)
    {
        if (!usernames.TryGetValue(userId, out var username))
        {
            username = (await keycloak.FindUserAsync(realm, userId, cancellationToken).ConfigureAwait(false))?.Username;
            usernames[userId] = username;
        }

        return username;
    }
}
