using System.Globalization;
using IdpBridge.Core.Audit;

namespace IdpBridge.Cli.Realms;

/// <summary>The words of each <see cref="AuditFinding"/> code: what is there and why it matters, and what to do about it.</summary>
internal static class AuditTexts
{
    private const string EventsFix = "Change the realm's events settings " +
        "(admin console: Realm settings → Events; or the realm config's eventsEnabled, enabledEventTypes, eventsExpiration, then realm apply).";

    private const string UnmanagedFix = "Remove unmanagedAttributePolicy (admin console: Realm settings → General → Unmanaged attributes: Disabled), " +
        "and declare in the profile what must be kept.";

    /// <summary>What the result says, and its fix.</summary>
    public static (string What, string Fix) Describe(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var facts = new Facts(finding.Facts);
        return finding.Code switch
        {
            AuditCodes.UserProfileUndeclaredAttribute or AuditCodes.UserProfileUnmanagedAttributes or AuditCodes.UserProfileUnmanagedAttributesVisible =>
                UserProfile(finding.Code, facts),
            AuditCodes.RegistrationUsernameAsked or AuditCodes.RegistrationFormFields or AuditCodes.RegistrationCustomFlow => Registration(finding.Code, facts),
            AuditCodes.IdentityProviderStoreToken or AuditCodes.IdentityProviderSessionNote or AuditCodes.IdentityProviderMapperImportsUndeclared =>
                IdentityProviders(finding.Code, facts),
            _ when finding.Check == AuditChecks.StoredAttributes => StoredAttributes(finding.Code, facts),
            _ when finding.Check == AuditChecks.Tokens => Tokens(finding.Code, facts),
            _ when finding.Check == AuditChecks.Events => Events(finding.Code, facts),
            _ => (finding.Code, ""),
        };
    }

    private static (string What, string Fix) UserProfile(string code, Facts f)
    {
        if (code == AuditCodes.UserProfileUndeclaredAttribute)
        {
            var name = f.S("attribute");
            var asked = f.B("userEdits")
                ? $" Users are asked for it in the account console and the update-profile form{(f.B("registration") ? " and on the registration form" : "")}" +
                  $"{(f.B("required") ? ", and must give it" : "")}."
                : " Only administrators see or edit it.";
            return ($"The user profile declares '{name}', which is not one of the declared fields ({string.Join(", ", f.L("declared"))}).{asked}",
                $"Remove '{name}' from the user profile " +
                    $"(admin console: Realm settings → User profile; or the realm config's userProfile, then realm apply), " +
                    $"or declare it in the policy first.");
        }

        return f.S("policy") switch
        {
            "ENABLED" => ("ENABLED: users can add, see and edit attributes of any name in the account console, " +
                "and administrators in the admin console and API: nothing bounds what is stored about a person.", UnmanagedFix),
            "ADMIN_EDIT" => ("ADMIN_EDIT: administrators (admin console, Admin API, imports) can store attributes of any name on users, which users never see.",
                UnmanagedFix),
            "ADMIN_VIEW" => ("ADMIN_VIEW: administrators see, read-only, the attributes stored outside the profile; " +
                "nobody can add one through the forms or the Admin API. The stored-attributes scan sees them all.",
                "Nothing to do for minimisation; remove it to hide them from administrators again."),
            var policy => ($"'{policy}', a value this audit does not know: attributes outside the profile may be stored.", UnmanagedFix),
        };
    }

    private static (string What, string Fix) StoredAttributes(string code, Facts f)
    {
        var name = f.S("attribute");
        var stored = $"{f.N("users")} of {f.N("scanned")} users store '{name}'";
        return code switch
        {
            AuditCodes.StoredAttributesLocale => ($"{stored}: the language Keycloak remembers for them, since the realm offers several.",
                "Nothing to do; it goes when internationalization is turned off and the attribute removed."),
            AuditCodes.StoredAttributesTermsAccepted => (
                $"{stored}: when they last accepted the terms, as Keycloak's terms step writes it; IdpBridge's acceptance record reads it.",
                "Nothing to do: it is the acceptance's proof."),
            AuditCodes.StoredAttributesFederationLink => ($"{stored}: the link LDAP federation keeps to the directory entry.", "Nothing to do."),
            AuditCodes.StoredAttributesUndeclared => (
                $"{stored}, which the user profile does not declare (imports, identity-provider mappers, extensions or an unmanaged-attribute policy put it there).",
                $"Stop what writes it, then remove '{name}' from those users " +
                    $"(GET /admin/realms/{f.S("realm")}/users?q={name}:<value> finds them by value; " +
                    $"a user PUT with the remaining attributes removes it)."),
            AuditCodes.StoredAttributesIdpBridgeAcceptance => (
                $"IdpBridge's required-action bridge ({f.S("step")}) stores each user's acceptance: " +
                    $"{string.Join(", ", f.Counts("usersPerAttribute").Select(item => $"{item.Key} ({item.Value} users)"))}.",
                "Nothing to do: it is the acceptance record the policy promises."),
            AuditCodes.StoredAttributesTooManyNames => (
                $"Users store more than {f.N("maxNames")} distinct attribute names; " +
                    $"{f.N("valuesBeyondLimit")} values of further names were counted together, not by name.",
                "Remove the unmanaged-attribute policy and the attributes, then audit again."),
            AuditCodes.StoredAttributesHidden => (
                $"Unset: Keycloak hides from the Admin API every attribute stored outside the user profile, " +
                    $"so the scan of {f.N("scanned")} users saw only the profile's attributes (and Keycloak's own). " +
                    $"Imports, identity-provider mappers and extensions (IdpBridge's bridge stores {f.S("prefix")}*) may have stored more.",
                "Run the audit again with --reveal-unmanaged: it sets ADMIN_VIEW for the scan and puts the user profile back as it was afterwards."),
            AuditCodes.StoredAttributesRevealed => (
                $"Set to {f.S("policy")} for the scan of {f.N("scanned")} users (--reveal-unmanaged), " +
                    $"so every stored attribute was seen; the user profile was put back as it was.",
                "Nothing to do."),
            AuditCodes.StoredAttributesAllVisible => ($"Set, so the scan of {f.N("scanned")} users saw every stored attribute.", "Nothing to do."),
            _ => (code, ""),
        };
    }

    private static (string What, string Fix) Registration(string code, Facts f) => code switch
    {
        AuditCodes.RegistrationUsernameAsked => (
            "The registration form asks for a username of the person's choosing besides the email; the declared fields make the email the username.",
            "Set registrationEmailAsUsername to true (admin console: Realm settings → Login → Email as username; or the realm config, then realm apply)."),
        AuditCodes.RegistrationFormFields => (
            $"The registration form asks for: {(f.L("fields") is { Count: > 0 } fields ? string.Join(", ", fields) : "nothing from the profile")} (and a password).",
            "Nothing to do when these are the declared fields."),
        _ => ($"Registration runs the flow '{f.S("flow")}', not Keycloak's built-in one: " +
                $"its form actions may ask for more than the profile (a captcha sends the person's address to its provider).",
            $"Check the executions of '{f.S("flow")}' (admin console: Authentication → {f.S("flow")})."),
    };

    private static (string What, string Fix) IdentityProviders(string code, Facts f)
    {
        var alias = f.S("alias");
        var target = f.S("attribute");
        return code switch
        {
            AuditCodes.IdentityProviderStoreToken => (
                $"'{alias}' stores the upstream provider's tokens with each linked user " +
                    $"(access, refresh and ID tokens, which carry more about the person than the declared fields).",
                $"Set storeToken to false on '{alias}' " +
                    $"(admin console: Identity providers → {alias} → Store tokens; or the realm config), " +
                    $"then remove the tokens already stored by unlinking and relinking, or leave them to expire."),
            AuditCodes.IdentityProviderSessionNote => (
                $"Writes '{target}' on the login session only (nothing stored on the user); a session-note token mapper could still put it in tokens.",
                "Nothing to do unless a client maps that note into its tokens."),
            _ => ($"The {f.S("mapperType")} mapper stores '{target}' on every user who signs in through '{alias}'; '{target}' is not a declared field.",
                $"Delete the mapper (admin console: Identity providers → {alias} → Mappers; " +
                    $"or the realm config's identityProviderMappers), then remove '{target}' from the users who have it."),
        };
    }

    private static (string What, string Fix) Tokens(string code, Facts f)
    {
        var attributes = string.Join(", ", f.L("attributes").Select(attribute => $"'{attribute}'"));
        var (client, scope, field) = (f.S("clientId"), f.S("scope"), f.S("field"));
        var who = field switch
        {
            "defaultClientScopes" => "the client always gets it",
            "optionalClientScopes" => "the client gets it on request",
            _ => "every new client gets it",
        };
        return code switch
        {
            AuditCodes.TokensClientMapper => (
                $"The client's own {f.S("mapperType")} mapper puts {attributes} in its tokens; not declared fields{(f.B("builtIn") ? " (a client of Keycloak's own)" : "")}.",
                $"Delete the mapper (admin console: Clients → {client} → Client scopes → {client}-dedicated)."),
            AuditCodes.TokensUndeclaredScope => (
                $"Scope '{scope}' carries only data that is not declared ({attributes}), and " +
                    $"{who}.",
                field is "defaultClientScopes" or "optionalClientScopes"
                    ? $"Remove '{scope}' from the client's scopes (admin console: Clients → {client} → Client scopes; or the realm config's clients[].{field})."
                    : $"Remove '{scope}' from the realm's {(field == "defaultDefaultClientScopes" ? "default" : "optional")} client scopes " +
                        $"(admin console: Client scopes → {scope} → Assigned type: None; or the realm config's {field})."),
            AuditCodes.TokensBuiltInClients => (
                $"Keycloak's own clients {string.Join(", ", f.L("clients"))} kept this link from the realm's creation: " +
                    $"they are Keycloak's consoles and internal clients, which ask for no such scope.",
                "Nothing to do; unlink it in each client's Client scopes tab to be sure."),
            AuditCodes.TokensScopeMapper => (
                $"The {f.S("mapperType")} mapper of scope '{scope}' puts {attributes} in the tokens of every client that uses the scope; not declared fields.",
                $"Delete the mapper (admin console: Client scopes → {scope} → Mappers)."),
            AuditCodes.TokensProfileStandardClaims => (
                $"Keycloak's standard mappers of '{scope}' read {attributes}: a claim appears only for a user who stores the attribute (see the stored-attributes scan).",
                "Nothing to do while no user stores them; delete a mapper to be sure it never emits its claim."),
            _ => (code, ""),
        };
    }

    private static (string What, string Fix) Events(string code, Facts f)
    {
        var kept = f.Has("adminExpiration") ? $", for {Days(f.N("adminExpiration"))} days" : ", forever (no adminEventsExpiration)";
        return code switch
        {
            AuditCodes.EventsAllTypes => (
                "No event type is listed, so Keycloak stores its whole default set (token refreshes, code exchanges, profile updates, ...), each with user, client and IP.",
                $"List only the types the record needs: {string.Join(", ", f.L("recordTypes"))}. {EventsFix}"),
            AuditCodes.EventsExtraTypes => ($"Stores event types the acceptance record does not need: {string.Join(", ", f.L("types"))}.",
                $"Remove them from enabledEventTypes. {EventsFix}"),
            AuditCodes.EventsSecurityTypes => (
                $"Stores {string.Join(" and ", f.L("types"))}: a security record of failed attempts (user, client, IP), not needed by the acceptance record.",
                "Keep them for as long as your security policy says; nothing to do for minimisation."),
            AuditCodes.EventsKeptForever => (
                "Events never expire: every stored sign-in (user, client, IP) is kept forever. " +
                    "IdpBridge's record keeps its own copy of each decision, so Keycloak's events need only outlive the next sync.",
                $"Set eventsExpiration, in seconds (the demo realm keeps 31536000, a year). {EventsFix}"),
            AuditCodes.EventsKeptLong => (
                $"Events are kept {Days(f.N("expiration"))} days, more than {f.N("max") / 86400}; IdpBridge's record keeps its own copy of each decision.",
                $"Lower eventsExpiration to at most {f.N("max")} seconds. {EventsFix}"),
            AuditCodes.EventsAdminRepresentations => (
                $"Admin events include the representation of what changed: each user an administrator or IdpBridge writes is copied whole " +
                    $"(name, email, attributes) into the admin event store{kept}.",
                $"Turn off 'Include representation' (adminEventsDetailsEnabled false). {EventsFix}"),
            AuditCodes.EventsAdminEvents => ($"Admin events are kept without representations (who changed what, when, from which IP){kept}.",
                "Nothing to do for minimisation."),
            _ => (code, ""),
        };
    }

    private static string Days(long seconds) => (seconds / 86400d).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Typed reads of a result's facts; a missing fact reads as <c>?</c>, empty or zero.</summary>
    private readonly struct Facts(IReadOnlyDictionary<string, object> facts)
    {
        public bool Has(string name) => facts.ContainsKey(name);

        public string S(string name) => facts.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?" : "?";

        public long N(string name) => facts.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

        public bool B(string name) => facts.TryGetValue(name, out var value) && value is true;

        public IReadOnlyList<string> L(string name) => facts.TryGetValue(name, out var value) && value is IEnumerable<string> list ? [.. list] : [];

        public IEnumerable<KeyValuePair<string, int>> Counts(string name) =>
            facts.TryGetValue(name, out var value) && value is IEnumerable<KeyValuePair<string, int>> counts ? counts : [];
    }
}
