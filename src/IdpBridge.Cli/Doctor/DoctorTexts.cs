using IdpBridge.Core.Doctor;

namespace IdpBridge.Cli.Doctor;

/// <summary>The words of each <see cref="DoctorFinding"/> code: what was found and, unless it is ok, what to fix.</summary>
internal static class DoctorTexts
{
    private const string ApplyHint = "(or declare it in the realm config and run 'idpbridge realm apply')";

    /// <summary>What the finding says, and its fix (null when ok).</summary>
    public static (string What, string? Fix) Describe(DoctorFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        string F(string name) => finding.Facts.TryGetValue(name, out var value) ? value : "?";
        return finding.Code switch
        {
            DoctorCodes.Reachable => ($"Keycloak answers at {F("url")}" +
                (finding.Facts.ContainsKey("version") ? $", version {F("version")}" : " (version not shown to this client: it takes view-realm)"), null),
            DoctorCodes.UnsupportedVersion => ($"Keycloak {F("version")} at {F("url")} is older than {F("oldest")}, the oldest IdpBridge supports",
                "upgrade Keycloak to 26.x"),
            DoctorCodes.Unreachable => ($"Keycloak cannot be reached at {F("url")}: {F("cause")}",
                "check that Keycloak runs there and the URL (--keycloak-url or IdpBridge__Keycloak__Url; add /auth before Keycloak 17)"),
            DoctorCodes.Failed => ($"Keycloak failed the {F("area")} check: {F("error")}", "see Keycloak's log; run the doctor again"),
            DoctorCodes.TokenObtained => ($"admin token issued to client '{F("clientId")}' by realm '{F("tokenRealm")}'" +
                (finding.Facts.ContainsKey("expiresIn") ? $", valid {F("expiresIn")} s" : ""), null),
            DoctorCodes.TokenRealmNotFound => ($"realm '{F("tokenRealm")}', where the admin client signs in, does not exist at {F("url")}",
                "set the realm that holds the client (--keycloak-realm or IdpBridge__Keycloak__Realm) and check the URL"),
            DoctorCodes.TokenRefused => ($"realm '{F("tokenRealm")}' refused a token to client '{F("clientId")}' ({F("status")}: {F("error")})",
                "check the client id (--client-id or IdpBridge__Keycloak__ClientId) and its secret (IdpBridge__Keycloak__ClientSecret); the client must be " +
                "confidential with 'Service accounts roles' on"),
            DoctorCodes.TokenWithoutRoles => ($"the token of client '{F("clientId")}' carries no roles (lightweight access tokens, or no 'roles' scope): " +
                "the roles of each feature cannot be checked", "turn off 'Always use lightweight access token' on the client, or give it the 'roles' client scope"),
            DoctorCodes.TokenOtherRealm => ($"a token of realm '{F("tokenRealm")}' cannot administer realm '{F("realm")}'",
                $"sign in with a client of realm '{F("realm")}' (or of master): --keycloak-realm or IdpBridge__Keycloak__Realm, and its client"),
            DoctorCodes.RealmReadable => ($"realm '{F("realm")}' exists and is readable", null),
            DoctorCodes.RealmNotFound => ($"realm '{F("realm")}' does not exist" +
                (finding.Facts.ContainsKey("similar") ? $"; '{F("similar")}' does (realm names are case-sensitive)" : ""),
                "check the name after --realm, or create the realm with 'idpbridge realm apply'"),
            DoctorCodes.RealmCutDown => ($"realm '{F("realm")}' answers only its cut-down form: client '{F("clientId")}' lacks {F("role")}",
                $"grant client '{F("clientId")}' the realm-management role {F("role")} of realm '{F("realm")}' (Clients → {F("clientId")} → Service accounts roles)"),
            DoctorCodes.RealmDisabled => ($"realm '{F("realm")}' is disabled: nobody can sign in", $"enable it (Realm settings → General → Enabled) {ApplyHint}"),
            DoctorCodes.Forbidden => ($"Keycloak refused the {F("area")} check (403): client '{F("clientId")}' lacks {F("role")}",
                $"grant client '{F("clientId")}' the realm-management role {F("role")} of realm '{F("realm")}'"),
            DoctorCodes.RolesGranted => ($"{F("feature")}: the token holds {F("roles")}", null),
            DoctorCodes.RolesMissing => ($"{F("feature")}: client '{F("clientId")}' lacks {F("missing")} (the feature needs {F("roles")})",
                $"grant client '{F("clientId")}' of realm '{F("tokenRealm")}' the roles {F("missing")} of client '{F("roleClient")}' " +
                "(Clients → the client → Service accounts roles → Assign role), or leave the feature to a client that has them (--feature)"),
            DoctorCodes.TermsReady => (F("mode") == "bridge"
                ? $"bridge mode: the required action {F("alias")} is registered and enabled"
                : $"Admin API mode: the required action {F("alias")} is enabled and a default action", null),
            DoctorCodes.TermsNotDefault => ($"Admin API mode: {F("alias")} is enabled but not a default action: new users are not asked at their first login",
                $"make it a default action (Authentication → Required actions → Set as default action) {ApplyHint}"),
            DoctorCodes.TermsBoth => ($"bridge mode, and Keycloak's own {F("alias")} is enabled too: users may be asked twice",
                $"disable {F("alias")} (Authentication → Required actions) {ApplyHint}"),
            DoctorCodes.TermsNoVersion => ($"bridge mode, but no policy version is published to the realm yet (no {F("attribute")} attribute): nobody is asked",
                "publish the first version: 'idpbridge policy publish <files> --realm <realm>'"),
            DoctorCodes.TermsOff => ($"no terms step is on: neither idpbridge-terms (bridge: {F("bridge")}) nor {F("alias")} ({F("termsAction")}) is enabled",
                F("bridge") is "registered" or "installed"
                    ? $"enable idpbridge-terms (bridge mode) or {F("alias")} and make it a default action (Admin API mode) {ApplyHint}"
                    : $"enable {F("alias")} and make it a default action (Authentication → Required actions) {ApplyHint}, or install IdpBridge's bridge jar"),
            DoctorCodes.EventsReady => ($"events are stored ({(F("types") == "all" ? "all types" : F("types"))})" +
                (finding.Facts.ContainsKey("expiration") ? $", kept {F("expiration")} s" : ""), null),
            DoctorCodes.EventsOff => ($"the realm stores no events: the record misses declines, clients and addresses",
                $"turn on user events with {F("needed")} (Realm settings → Events) {ApplyHint}"),
            DoctorCodes.EventsTypesMissing => ($"the realm does not store {F("missing")}, which the record reads",
                $"add {F("missing")} to the saved types (Realm settings → Events → User events settings) {ApplyHint}"),
            DoctorCodes.EventsKeptForever => ("events never expire: every login's user, client and address is kept forever",
                $"set an expiration of at most {F("max")} s (Realm settings → Events → Expiration) {ApplyHint}"),
            DoctorCodes.EventsKeptLong => ($"events are kept {F("expiration")} s, more than {F("max")} s", $"lower the expiration to at most {F("max")} s {ApplyHint}"),
            DoctorCodes.EventsExpireSoon => ($"events expire after {F("expiration")} s: a ledger sync must run more often than that",
                "keep them a day or more, or run the service (it syncs every minute)"),
            DoctorCodes.StoreReady => ($"store {F("store")} answers, schema {F("schema")} (current)", null),
            DoctorCodes.StoreNotCreated => ($"store {F("store")} does not exist yet",
                "the first 'idpbridge policy publish' creates it; or point IdpBridge__Storage__* at the store in use"),
            DoctorCodes.StoreNotMigrated => ($"store {F("store")} has schema {F("schema")}, this build's is {F("latest")}",
                "the next command that uses it (or the service at start) migrates it"),
            DoctorCodes.StoreNewer => ($"store {F("store")} has schema {F("schema")}, newer than this build's {F("latest")}", "run the IdpBridge version that migrated it"),
            DoctorCodes.StoreUnreachable => ($"store {F("store")} does not answer: {F("error")}", "check IdpBridge__Storage__* and that the database runs"),
            _ => (finding.Code, null),
        };
    }
}
