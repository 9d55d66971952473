using System.Text.Json;
using IdpBridge.Core.Audit;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.UserProfile;
using IdpBridge.Testing;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>
/// Snapshots for the audit checks: <see cref="Clean"/> is the demo realm as Keycloak 26.7.3 holds it after
/// <c>realm apply</c> (the real server's built-in client scopes, the demo's settings), each test changes one thing.
/// </summary>
internal static class AuditRealm
{
    private static readonly Lazy<IReadOnlyList<ClientScopeRepresentation>> BuiltInScopes = new(() =>
        JsonSerializer.Deserialize<List<ClientScopeRepresentation>>(
            File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "IdpBridge.Testing", "Simulator", "new-realm-client-scopes-26.7.3.json")),
            KeycloakJson.Options)!);

    public static readonly string[] DemoDefaultScopes = ["web-origins", "acr", "profile", "roles", "basic", "email"];

    public static RealmSnapshot Clean() => new()
    {
        Realm = new RealmRepresentation
        {
            Realm = "externos",
            RegistrationAllowed = true,
            RegistrationEmailAsUsername = true,
            InternationalizationEnabled = true,
            Attributes = new Dictionary<string, string>(),
        },
        UserProfile = new UserProfileConfig
        {
            Attributes =
            [
                Attribute("username"), Attribute("email", required: true), Attribute("firstName", required: true), Attribute("lastName", required: true),
            ],
        },
        Events = new RealmEventsConfigRepresentation
        {
            EventsEnabled = true,
            EventsExpiration = 31536000,
            EnabledEventTypes = ["LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"],
            EventsListeners = ["jboss-logging"],
            AdminEventsEnabled = false,
            AdminEventsDetailsEnabled = false,
        },
        IdentityProviders =
        [
            new IdentityProviderRepresentation { Alias = "google", ProviderId = "google", StoreToken = false },
            new IdentityProviderRepresentation { Alias = "gitlab", ProviderId = "gitlab", StoreToken = false },
        ],
        Clients =
        [
            Client("demo-app", DemoDefaultScopes, ["offline_access", "microprofile-jwt", "organization"]),
            // Keycloak's own clients keep the realm's first optional scopes (address, phone), as 26.7.3 makes them.
            Client("account", ["web-origins", "acr", "profile", "roles", "basic", "email"], ["offline_access", "microprofile-jwt", "organization", "address", "phone"]),
            Client("security-admin-console", ["web-origins", "acr", "profile", "roles", "basic", "email"], ["offline_access", "address", "phone"],
                AttributeMapper("locale", "locale")),
        ],
        ClientScopes = BuiltInScopes.Value,
        DefaultDefaultClientScopes = ["role_list", "saml_organization", "AuthnContextClassRef", "profile", "email", "roles", "web-origins", "acr", "basic"],
        DefaultOptionalClientScopes = ["offline_access", "microprofile-jwt", "organization"],
    };

    public static UserProfileAttribute Attribute(string name, bool required = false, bool userEdits = true) => new()
    {
        Name = name,
        Permissions = new UserProfileAttributePermissions { View = ["admin", "user"], Edit = userEdits ? ["admin", "user"] : ["admin"] },
        Required = required ? new UserProfileAttributeRequired { Roles = ["user"] } : null,
    };

    public static ClientRepresentation Client(string clientId, string[] defaults, string[] optional, params ProtocolMapperRepresentation[] mappers) => new()
    {
        ClientId = clientId,
        Unmapped = new Dictionary<string, JsonElement>
        {
            ["defaultClientScopes"] = JsonSerializer.SerializeToElement(defaults),
            ["optionalClientScopes"] = JsonSerializer.SerializeToElement(optional),
            ["protocolMappers"] = JsonSerializer.SerializeToElement(mappers, KeycloakJson.Options),
        },
    };

    public static ProtocolMapperRepresentation AttributeMapper(string name, string attribute) => new()
    {
        Name = name,
        Protocol = "openid-connect",
        ProtocolMapper = "oidc-usermodel-attribute-mapper",
        Config = new Dictionary<string, string> { ["user.attribute"] = attribute, ["claim.name"] = attribute, ["id.token.claim"] = "true" },
    };

    public static StoredAttributeCounts NoUsers { get; } = new(0, new Dictionary<string, int>(), 0);

    /// <summary>Every result of the whole audit of <paramref name="snapshot"/>.</summary>
    public static RealmAudit AuditOf(
        RealmSnapshot snapshot, StoredAttributeCounts? counts = null, StoredAttributeVisibility visibility = StoredAttributeVisibility.Revealed, DeclaredFields? declared = null) =>
        RealmAuditor.Evaluate(snapshot, counts ?? NoUsers, visibility, declared ?? DeclaredFields.Default);

    /// <summary>The findings (not informational results) as "code where".</summary>
    public static string[] Findings(RealmAudit audit) => [.. audit.Findings.Select(finding => $"{finding.Code} {finding.Where}")];
}
