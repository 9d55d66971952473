namespace IdpBridge.Core.Audit;

/// <summary>
/// The codes of <see cref="AuditFinding"/>: snake_case words, the area first (<c>events_kept_forever</c>), as the doctor's
/// codes; each names its facts. Lists are arrays of strings, counts and seconds are numbers.
/// </summary>
public static class AuditCodes
{
    /// <summary>
    /// Finding: the user profile declares an attribute beyond the declared fields. Facts: <c>attribute</c>, <c>declared</c>
    /// (the declared fields), <c>userEdits</c>, <c>registration</c> (whether the realm allows registration), <c>required</c>.
    /// </summary>
    public const string UserProfileUndeclaredAttribute = "user_profile_undeclared_attribute";

    /// <summary>Finding: <c>unmanagedAttributePolicy</c> lets attributes outside the profile be stored. Facts: <c>policy</c>.</summary>
    public const string UserProfileUnmanagedAttributes = "user_profile_unmanaged_attributes";

    /// <summary>Informational: <c>ADMIN_VIEW</c>, administrators see attributes outside the profile. Facts: <c>policy</c>.</summary>
    public const string UserProfileUnmanagedAttributesVisible = "user_profile_unmanaged_attributes_visible";

    /// <summary>Informational: users store <c>locale</c> while the realm offers languages. Facts: <c>attribute</c>, <c>users</c>, <c>scanned</c>.</summary>
    public const string StoredAttributesLocale = "stored_attributes_locale";

    /// <summary>Informational: Keycloak's <c>terms_and_conditions</c> time. Facts: <c>attribute</c>, <c>users</c>, <c>scanned</c>.</summary>
    public const string StoredAttributesTermsAccepted = "stored_attributes_terms_accepted";

    /// <summary>Informational: LDAP federation's link. Facts: <c>attribute</c>, <c>users</c>, <c>scanned</c>.</summary>
    public const string StoredAttributesFederationLink = "stored_attributes_federation_link";

    /// <summary>Finding: users store an attribute the profile does not declare. Facts: <c>attribute</c>, <c>users</c>, <c>scanned</c>, <c>realm</c>.</summary>
    public const string StoredAttributesUndeclared = "stored_attributes_undeclared";

    /// <summary>Informational: the bridge's acceptance attributes. Facts: <c>step</c>, <c>usersPerAttribute</c> (attribute name → users).</summary>
    public const string StoredAttributesIdpBridgeAcceptance = "stored_attributes_idpbridge_acceptance";

    /// <summary>Finding: more distinct attribute names than the scan counts by name. Facts: <c>maxNames</c>, <c>valuesBeyondLimit</c>.</summary>
    public const string StoredAttributesTooManyNames = "stored_attributes_too_many_names";

    /// <summary>Informational: Keycloak hid attributes outside the profile from the scan. Facts: <c>scanned</c>, <c>prefix</c> (the bridge's).</summary>
    public const string StoredAttributesHidden = "stored_attributes_hidden";

    /// <summary>Informational: <c>--reveal-unmanaged</c> set a policy for the scan. Facts: <c>policy</c>, <c>scanned</c>.</summary>
    public const string StoredAttributesRevealed = "stored_attributes_revealed";

    /// <summary>Informational: the policy is set, the scan saw everything. Facts: <c>scanned</c>.</summary>
    public const string StoredAttributesAllVisible = "stored_attributes_all_visible";

    /// <summary>Finding: the registration form asks for a username besides the email. No facts.</summary>
    public const string RegistrationUsernameAsked = "registration_username_asked";

    /// <summary>Informational: the registration form's fields. Facts: <c>fields</c>.</summary>
    public const string RegistrationFormFields = "registration_form_fields";

    /// <summary>Informational: registration runs a flow other than the built-in one. Facts: <c>flow</c>.</summary>
    public const string RegistrationCustomFlow = "registration_custom_flow";

    /// <summary>Finding: an identity provider stores the upstream tokens. Facts: <c>alias</c>.</summary>
    public const string IdentityProviderStoreToken = "identity_provider_store_token";

    /// <summary>Informational: a mapper writes an undeclared name on the login session only. Facts: <c>alias</c>, <c>mapper</c>, <c>attribute</c>.</summary>
    public const string IdentityProviderSessionNote = "identity_provider_session_note";

    /// <summary>Finding: a mapper stores an undeclared attribute on users. Facts: <c>alias</c>, <c>mapper</c>, <c>mapperType</c>, <c>attribute</c>.</summary>
    public const string IdentityProviderMapperImportsUndeclared = "identity_provider_mapper_imports_undeclared";

    /// <summary>
    /// Finding (informational for Keycloak's own clients): a client's own mapper puts undeclared data in tokens.
    /// Facts: <c>clientId</c>, <c>mapper</c>, <c>mapperType</c>, <c>attributes</c>, <c>builtIn</c>.
    /// </summary>
    public const string TokensClientMapper = "tokens_client_mapper";

    /// <summary>
    /// Finding: a link to a scope that carries only undeclared data. Facts: <c>scope</c>, <c>attributes</c>, <c>field</c>
    /// (<c>defaultClientScopes</c>, <c>optionalClientScopes</c>, or the realm's <c>defaultDefaultClientScopes</c>,
    /// <c>defaultOptionalClientScopes</c>), <c>clientId</c> (for a client's link).
    /// </summary>
    public const string TokensUndeclaredScope = "tokens_undeclared_scope";

    /// <summary>Informational: Keycloak's own clients kept such a link from the realm's creation. Facts: <c>field</c>, <c>scope</c>, <c>clients</c>.</summary>
    public const string TokensBuiltInClients = "tokens_built_in_clients";

    /// <summary>Finding: a mapper of a linked scope puts undeclared data in tokens. Facts: <c>scope</c>, <c>mapper</c>, <c>mapperType</c>, <c>attributes</c>.</summary>
    public const string TokensScopeMapper = "tokens_scope_mapper";

    /// <summary>Informational: Keycloak's standard mappers of <c>profile</c> read undeclared attributes. Facts: <c>scope</c>, <c>attributes</c>.</summary>
    public const string TokensProfileStandardClaims = "tokens_profile_standard_claims";

    /// <summary>Finding: events enabled with no type listed (Keycloak's whole default set). Facts: <c>recordTypes</c>.</summary>
    public const string EventsAllTypes = "events_all_types";

    /// <summary>Finding: event types the acceptance record does not need. Facts: <c>types</c>.</summary>
    public const string EventsExtraTypes = "events_extra_types";

    /// <summary>Informational: failed sign-ins and registrations stored. Facts: <c>types</c>.</summary>
    public const string EventsSecurityTypes = "events_security_types";

    /// <summary>Finding: events never expire. Facts: <c>max</c> (seconds).</summary>
    public const string EventsKeptForever = "events_kept_forever";

    /// <summary>Finding: events kept longer than the audit allows. Facts: <c>expiration</c>, <c>max</c> (seconds).</summary>
    public const string EventsKeptLong = "events_kept_long";

    /// <summary>Finding: admin events include representations. Facts: <c>adminExpiration</c> (seconds; absent: forever).</summary>
    public const string EventsAdminRepresentations = "events_admin_representations";

    /// <summary>Informational: admin events without representations. Facts: <c>adminExpiration</c> (seconds; absent: forever).</summary>
    public const string EventsAdminEvents = "events_admin_events";
}
