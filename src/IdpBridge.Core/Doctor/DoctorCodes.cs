namespace IdpBridge.Core.Doctor;

/// <summary>
/// The codes of <see cref="DoctorFinding"/>, by area: snake_case words, the area first (<c>roles_missing</c>), as every
/// other code IdpBridge writes (a refused rollout's <c>terms_action_disabled</c>); each names its facts.
/// </summary>
public static class DoctorCodes
{
    /// <summary>Ok: Keycloak answered. Facts: <c>url</c>, <c>version</c> (when the server info could be read).</summary>
    public const string Reachable = "keycloak_reachable";

    /// <summary>Warning: the server info says a version older than 26.0. Facts: <c>url</c>, <c>version</c>.</summary>
    public const string UnsupportedVersion = "keycloak_unsupported_version";

    /// <summary>Problem: no HTTP exchange with Keycloak at all. Facts: <c>url</c>, <c>cause</c>.</summary>
    public const string Unreachable = "keycloak_unreachable";

    /// <summary>Problem: Keycloak answered but something failed on the way (5xx, a timeout, a bad answer). Facts: <c>area</c>, <c>error</c>.</summary>
    public const string Failed = "keycloak_failed";

    /// <summary>Ok: a token was issued. Facts: <c>clientId</c>, <c>tokenRealm</c>, <c>expiresIn</c> (seconds).</summary>
    public const string TokenObtained = "token_obtained";

    /// <summary>Problem: the token realm does not exist at that URL (404). Facts: <c>tokenRealm</c>, <c>url</c>.</summary>
    public const string TokenRealmNotFound = "token_realm_not_found";

    /// <summary>Problem: the token endpoint refused the client. Facts: <c>clientId</c>, <c>tokenRealm</c>, <c>status</c>, <c>error</c> (Keycloak's).</summary>
    public const string TokenRefused = "token_refused";

    /// <summary>Warning: the token carries no roles (no <c>roles</c> scope, lightweight tokens): roles cannot be checked. Facts: <c>clientId</c>.</summary>
    public const string TokenWithoutRoles = "token_without_roles";

    /// <summary>Problem: the token's realm is neither the realm checked nor master, so it administers nothing there. Facts: <c>tokenRealm</c>, <c>realm</c>.</summary>
    public const string TokenOtherRealm = "token_other_realm";

    /// <summary>Ok: the realm exists and is readable whole. Facts: <c>realm</c>.</summary>
    public const string RealmReadable = "realm_readable";

    /// <summary>Problem: no such realm. Facts: <c>realm</c>, <c>similar</c> (a realm of another case, when seen).</summary>
    public const string RealmNotFound = "realm_not_found";

    /// <summary>
    /// Problem: Keycloak answered the cut-down realm it gives a client without <c>view-realm</c> (no <c>id</c>, no settings).
    /// Facts: <c>realm</c>, <c>role</c> (view-realm), <c>clientId</c>.
    /// </summary>
    public const string RealmCutDown = "realm_cut_down";

    /// <summary>Warning: the realm is disabled (nobody can sign in). Facts: <c>realm</c>.</summary>
    public const string RealmDisabled = "realm_disabled";

    /// <summary>Problem: a call was refused (403). Facts: <c>area</c>, <c>role</c>, <c>realm</c>, <c>clientId</c>.</summary>
    public const string Forbidden = "keycloak_forbidden";

    /// <summary>Ok: the token holds a feature's roles. Facts: <c>feature</c>, <c>roles</c> (comma-separated).</summary>
    public const string RolesGranted = "roles_granted";

    /// <summary>
    /// Problem: the token lacks roles of a feature. Facts: <c>feature</c>, <c>missing</c>, <c>roles</c> (the whole set),
    /// <c>clientId</c>, <c>tokenRealm</c>, <c>roleClient</c> (the client whose roles to grant), <c>realm</c>.
    /// </summary>
    public const string RolesMissing = "roles_missing";

    /// <summary>Ok: Admin API mode, <c>TERMS_AND_CONDITIONS</c> enabled and a default action. Facts: <c>mode</c>, <c>alias</c>.</summary>
    public const string TermsReady = "terms_ready";

    /// <summary>Warning: Admin API mode, the action is enabled but not a default action (new users are not asked). Facts: <c>alias</c>.</summary>
    public const string TermsNotDefault = "terms_not_default";

    /// <summary>Warning: bridge mode, and Keycloak's own terms action is enabled too (users may be asked twice). Facts: <c>alias</c>.</summary>
    public const string TermsBoth = "terms_both_enabled";

    /// <summary>Warning: bridge mode, no version published to the realm yet. Facts: <c>attribute</c>.</summary>
    public const string TermsNoVersion = "terms_no_version";

    /// <summary>
    /// Problem: neither the bridge nor <c>TERMS_AND_CONDITIONS</c> is enabled: nobody is asked. Facts: <c>alias</c>,
    /// <c>bridge</c> (<c>registered</c>, <c>installed</c> or <c>absent</c>), <c>termsAction</c> (<c>registered</c> or <c>absent</c>).
    /// </summary>
    public const string TermsOff = "terms_off";

    /// <summary>Ok: events stored with the ledger's types. Facts: <c>types</c> (<c>all</c> or the list), <c>expiration</c> (seconds).</summary>
    public const string EventsReady = "events_ready";

    /// <summary>Problem: the realm stores no events. Facts: <c>needed</c>.</summary>
    public const string EventsOff = "events_off";

    /// <summary>Problem: the realm stores events, but not every type the ledger reads. Facts: <c>missing</c>.</summary>
    public const string EventsTypesMissing = "events_types_missing";

    /// <summary>Warning: events are never deleted (<c>eventsExpiration</c> unset). Facts: <c>max</c> (seconds).</summary>
    public const string EventsKeptForever = "events_kept_forever";

    /// <summary>Warning: events are kept longer than the audit allows. Facts: <c>expiration</c>, <c>max</c> (seconds).</summary>
    public const string EventsKeptLong = "events_kept_long";

    /// <summary>Warning: events expire within a day: a ledger sync must run more often than that. Facts: <c>expiration</c> (seconds).</summary>
    public const string EventsExpireSoon = "events_expire_soon";

    /// <summary>Ok: the store answers and its schema is current. Facts: <c>store</c>, <c>schema</c>.</summary>
    public const string StoreReady = "store_ready";

    /// <summary>Warning: the SQLite file does not exist yet (the first command that writes creates it). Facts: <c>store</c>.</summary>
    public const string StoreNotCreated = "store_not_created";

    /// <summary>Warning: the schema is older than this build's (the next command migrates it). Facts: <c>store</c>, <c>schema</c>, <c>latest</c>.</summary>
    public const string StoreNotMigrated = "store_not_migrated";

    /// <summary>Problem: the schema is newer than this build's (an older IdpBridge). Facts: <c>store</c>, <c>schema</c>, <c>latest</c>.</summary>
    public const string StoreNewer = "store_newer";

    /// <summary>Problem: the store does not answer. Facts: <c>store</c>, <c>error</c>.</summary>
    public const string StoreUnreachable = "store_unreachable";
}
