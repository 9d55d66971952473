namespace IdpBridge.Core.Ledger;

/// <summary>What the user did with the terms step.</summary>
public enum AcceptanceDecision
{
    /// <summary>Accepted (the terms step, the registration checkbox, or a stored acceptance time).</summary>
    Accepted,

    /// <summary>Declined the terms step (Keycloak's <c>rejected_by_user</c>).</summary>
    Declined,

    /// <summary>
    /// Was shown a <c>notice</c> version (a change the policy promises only to tell) and went on: the bridge's single
    /// "continue", or Keycloak's own terms step while a notice was the version in force (Admin API mode).
    /// </summary>
    Acknowledged,
}

/// <summary>How IdpBridge learned of a decision.</summary>
public enum AcceptanceSource
{
    /// <summary>
    /// A Keycloak login event: <c>CUSTOM_REQUIRED_ACTION</c> or <c>CUSTOM_REQUIRED_ACTION_ERROR</c> of the terms action. Those
    /// of IdpBridge's bridge (<c>idpbridge-terms</c>) name the exact version and hash; those of Keycloak's own action name
    /// none, and the version is the one in force at the event's time.
    /// </summary>
    Event,

    /// <summary>A Keycloak <c>REGISTER</c> event of a realm whose registration form carries the terms checkbox.</summary>
    Registration,

    /// <summary>
    /// The user's <c>terms_and_conditions</c> attribute (epoch seconds), for an acceptance no stored event shows (events
    /// off, filtered or expired): the time is the second Keycloak kept, and client and address are unknown.
    /// </summary>
    Timestamp,
}

/// <summary>
/// One row of the acceptance ledger: the least that proves a decision (GDPR art. 7(1)): who, which version of which
/// policy (number and content hash of the version in force at that moment), what, when, from where, and how it was
/// learned. No e-mail, no name: the username is the only personal datum besides the user id and the address.
/// </summary>
/// <param name="Realm">The Keycloak realm.</param>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Username">
/// The username when the decision was recorded (read from Keycloak: an event names the login as typed, which may be an
/// email); null when unknown (the user was deleted before the sync).
/// </param>
/// <param name="Policy">The policy shown by the terms step (<c>IdpBridge:Policies:TermsPolicy</c>).</param>
/// <param name="VersionNumber">
/// The version decided on: as the bridge's event names it, else the version in force at <paramref name="OccurredAt"/>;
/// null when none was published yet (or a bridge event named none that could be read).
/// </param>
/// <param name="ContentHash">That version's content hash; null with <paramref name="VersionNumber"/>.</param>
/// <param name="Decision">Accepted, declined, or acknowledged (a notice).</param>
/// <param name="OccurredAt">When, UTC, to the millisecond (to the second for <see cref="AcceptanceSource.Timestamp"/>).</param>
/// <param name="ClientId">The Keycloak client the user was logging in to; null when unknown.</param>
/// <param name="IpAddress">The address Keycloak saw; null when unknown.</param>
/// <param name="Source">How IdpBridge learned it.</param>
/// <param name="EventKey">The de-duplication key, unique per realm: the same decision read twice is stored once.</param>
/// <param name="KeycloakEventId">Keycloak's event id (26.4+), for cross-reference; null otherwise.</param>
/// <param name="LocaleShown">
/// The language the terms page was shown in (a BCP 47 tag such as <c>es</c>), as IdpBridge's bridge names it in its
/// event (detail <c>locale</c>); null for Keycloak's own terms step, registrations and timestamps (Keycloak's events do
/// not say), for a bridge that did not name it, and for every record written before schema 10.
/// </param>
public sealed record AcceptanceRecord(
    string Realm,
    string UserId,
    string? Username,
    string Policy,
    int? VersionNumber,
    string? ContentHash,
    AcceptanceDecision Decision,
    DateTimeOffset OccurredAt,
    string? ClientId,
    string? IpAddress,
    AcceptanceSource Source,
    string EventKey,
    string? KeycloakEventId = null,
    string? LocaleShown = null)
{
    /// <summary>The store's sequence number (insertion order); 0 before the record is stored.</summary>
    public long Id { get; init; }

    /// <summary>When IdpBridge stored the record (UTC); default before it is stored.</summary>
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Which part of the ledger to read.</summary>
public sealed record LedgerQuery
{
    /// <summary>The realm (required).</summary>
    public required string Realm { get; init; }

    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records strictly before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this user: a user id or a username.</summary>
    public string? User { get; init; }
}

/// <summary>A version's tally in the ledger.</summary>
/// <param name="AcceptedUsers">Distinct users with at least one acceptance of the version.</param>
/// <param name="DeclinedUsers">Distinct users who declined the version and have not accepted it since.</param>
/// <param name="Records">Records of the version, of any decision.</param>
/// <param name="AcknowledgedUsers">Distinct users who acknowledged the version (a notice).</param>
public sealed record LedgerTally(long AcceptedUsers, long DeclinedUsers, long Records, long AcknowledgedUsers = 0);
