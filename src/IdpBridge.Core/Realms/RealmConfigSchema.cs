namespace IdpBridge.Core.Realms;

/// <summary>What IdpBridge manages in a realm config file, and the rules shared by the loader and the planner.</summary>
public static class RealmConfigSchema
{
    /// <summary>
    /// The realm settings IdpBridge manages, each with the JSON shape Keycloak gives it: the one list of them, which
    /// the loader checks declared values against and the exporter writes.
    /// </summary>
    internal static IReadOnlyDictionary<string, JsonShape> ManagedSettingShapes { get; } = new Dictionary<string, JsonShape>(StringComparer.Ordinal)
    {
        ["displayName"] = JsonShape.String, ["displayNameHtml"] = JsonShape.String, ["enabled"] = JsonShape.Boolean,
        ["sslRequired"] = JsonShape.String, ["registrationAllowed"] = JsonShape.Boolean,
        ["registrationEmailAsUsername"] = JsonShape.Boolean, ["rememberMe"] = JsonShape.Boolean,
        ["verifyEmail"] = JsonShape.Boolean, ["loginWithEmailAllowed"] = JsonShape.Boolean,
        ["duplicateEmailsAllowed"] = JsonShape.Boolean, ["resetPasswordAllowed"] = JsonShape.Boolean,
        ["editUsernameAllowed"] = JsonShape.Boolean, ["bruteForceProtected"] = JsonShape.Boolean,
        ["loginTheme"] = JsonShape.String, ["accountTheme"] = JsonShape.String, ["emailTheme"] = JsonShape.String,
        ["adminTheme"] = JsonShape.String, ["internationalizationEnabled"] = JsonShape.Boolean,
        ["supportedLocales"] = JsonShape.StringArray, ["defaultLocale"] = JsonShape.String,
        ["eventsEnabled"] = JsonShape.Boolean, ["eventsExpiration"] = JsonShape.Integer,
        ["enabledEventTypes"] = JsonShape.StringArray, ["eventsListeners"] = JsonShape.StringArray,
        ["adminEventsEnabled"] = JsonShape.Boolean, ["adminEventsDetailsEnabled"] = JsonShape.Boolean,
    };

    /// <summary>
    /// Top-level realm settings that IdpBridge manages when the file declares them. Keycloak's realm PUT applies
    /// each of them as sent; other top-level scalars of an export (ids, versions, token settings IdpBridge has no
    /// opinion on) are reported as ignored rather than half-managed.
    /// </summary>
    public static IReadOnlySet<string> ManagedSettings { get; } = new HashSet<string>(ManagedSettingShapes.Keys, StringComparer.Ordinal);

    /// <summary>Top-level sections with a meaning of their own (collections and maps IdpBridge manages).</summary>
    public static IReadOnlySet<string> ManagedSections { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "realm", "attributes", "userProfile", "requiredActions", "identityProviders", "identityProviderMappers",
        "clients", "users", "localizationTexts", "components", "roles", "groups", "clientScopes",
        "defaultDefaultClientScopes", "defaultOptionalClientScopes", SmtpServerKey, ExtensionKey,
    };

    /// <summary>
    /// The realm roles Keycloak gives every new realm (<c>RealmManager.setupRealmDefaults</c>): a file may refer to them
    /// before the realm exists.
    /// </summary>
    public static IReadOnlySet<string> BuiltInRealmRoles(string realm) =>
        new HashSet<string>(StringComparer.Ordinal) { "offline_access", "uma_authorization", "default-roles-" + realm };

    /// <summary>The client scopes Keycloak 26.7.3 gives every new realm (read from a new realm of that server).</summary>
    public static IReadOnlySet<string> BuiltInClientScopes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AuthnContextClassRef", "acr", "address", "basic", "email", "microprofile-jwt", "offline_access", "organization",
        "phone", "profile", "role_list", "roles", "saml_organization", "service_account", "web-origins",
    };

    /// <summary>The realm's mail server settings (a string-to-string map; its <c>password</c> comes from the environment).</summary>
    public const string SmtpServerKey = "smtpServer";

    /// <summary>IdpBridge's own options inside a realm config file (Keycloak ignores unknown keys; so do exports).</summary>
    public const string ExtensionKey = "x-idpbridge";

    /// <summary>Collections a file may own entirely through <c>x-idpbridge.exclusive</c>.</summary>
    public static IReadOnlySet<string> ExclusiveCapable { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "identityProviders", "identityProviderMappers",
    };

    /// <summary>The provider type of the user-profile component in an export.</summary>
    public const string UserProfileComponentType = "org.keycloak.userprofile.UserProfileProvider";

    /// <summary>The component config key holding the user profile as a JSON string.</summary>
    public const string UserProfileConfigKey = "kc.user.profile.config";

    /// <summary>
    /// Identity provider types built into Keycloak 26. <c>gitlab</c> is hard-wired to gitlab.com; a self-hosted
    /// GitLab is an <c>oidc</c> provider.
    /// </summary>
    public static IReadOnlySet<string> KnownIdentityProviderTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "oidc", "keycloak-oidc", "saml", "oauth2", "google", "github", "gitlab", "facebook", "microsoft",
        "linkedin-openid-connect", "twitter", "stackoverflow", "instagram", "paypal", "openshift-v4", "bitbucket",
        "spiffe", "kubernetes",
    };

    /// <summary>
    /// Whether a field holds a secret that must never be printed or logged: Keycloak's <c>clientSecret</c> and
    /// <c>secret</c>, any key that mentions a secret (<c>client.secret.rotated</c>), and any key that ends in
    /// password. Settings that merely mention passwords, such as <c>resetPasswordAllowed</c> or
    /// <c>passwordPolicy</c>, are not secrets and are shown.
    /// </summary>
    public static bool IsSecretField(string name) =>
        name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("password", StringComparison.OrdinalIgnoreCase);
}
