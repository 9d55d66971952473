using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// The desired state of one realm, read from a realm config file (Keycloak's own <c>RealmRepresentation</c> JSON,
/// a subset of an export). Each part holds exactly what the file declares, as JSON, with <c>${env:NAME}</c>
/// references already resolved: a field absent from the file is not managed and is left as it is in Keycloak.
/// </summary>
public sealed record RealmConfig
{
    /// <summary>The file the config was read from.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The realm's name (<c>realm</c>).</summary>
    public required string RealmName { get; init; }

    /// <summary>
    /// Top-level realm settings IdpBridge manages that the file declares (see <see cref="RealmConfigSchema.ManagedSettings"/>),
    /// e.g. <c>registrationAllowed</c>, <c>supportedLocales</c>, <c>eventsExpiration</c>. Never holds collections.
    /// </summary>
    public required JsonObject Settings { get; init; }

    /// <summary>
    /// Declared realm <c>attributes</c> (string to string). Merged into the live set on apply: Keycloak replaces the
    /// whole set on PUT, so undeclared attributes are sent back unchanged.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }

    /// <summary>
    /// The declared user profile (<c>UPConfig</c>): from a top-level <c>userProfile</c> object, or from an export's
    /// <c>components["org.keycloak.userprofile.UserProfileProvider"][0].config["kc.user.profile.config"][0]</c>.
    /// Null when the file declares none (the live profile is then left alone).
    /// </summary>
    public JsonObject? UserProfile { get; init; }

    /// <summary>
    /// The declared mail server (<c>smtpServer</c>), its <c>${env:...}</c> password resolved; null when the file
    /// declares none (the live settings are then left alone). Only the declared keys are managed; a <c>password</c> of
    /// <c>**********</c> keeps the one Keycloak stores.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SmtpServer { get; init; }

    /// <summary>Declared required actions, by <c>alias</c>; only the declared fields of each are managed.</summary>
    public required IReadOnlyList<JsonObject> RequiredActions { get; init; }

    /// <summary>Declared identity providers, by <c>alias</c>.</summary>
    public required IReadOnlyList<JsonObject> IdentityProviders { get; init; }

    /// <summary>Declared identity provider mappers, by (<c>identityProviderAlias</c>, <c>name</c>).</summary>
    public required IReadOnlyList<JsonObject> IdentityProviderMappers { get; init; }

    /// <summary>
    /// Declared realm roles (<c>roles.realm</c>), by <c>name</c>: their description and attributes. Composites are not
    /// managed; undeclared roles are left alone.
    /// </summary>
    public IReadOnlyList<JsonObject> RealmRoles { get; init; } = [];

    /// <summary>
    /// Declared top-level groups, by <c>name</c>: their attributes and, when declared, the exact set of realm roles
    /// granted to them (<c>realmRoles</c>). Members are not managed (realm files hold no people); undeclared groups are left alone.
    /// </summary>
    public IReadOnlyList<JsonObject> Groups { get; init; } = [];

    /// <summary>
    /// Declared client scopes, by <c>name</c>: their fields and their declared protocol mappers (by name); undeclared
    /// scopes and mappers are left alone.
    /// </summary>
    public IReadOnlyList<JsonObject> ClientScopes { get; init; } = [];

    /// <summary>
    /// The realm's default client scopes as declared (<c>defaultDefaultClientScopes</c>, <c>defaultOptionalClientScopes</c>:
    /// the scopes each new client gets); each declared list is an exact set, an undeclared one is left alone.
    /// </summary>
    public JsonObject DefaultClientScopes { get; init; } = [];

    /// <summary>Declared clients, by <c>clientId</c>.</summary>
    public required IReadOnlyList<JsonObject> Clients { get; init; }

    /// <summary>
    /// The <c>realm-management</c> roles of each declared client's service account, from the export's service-account
    /// users (<c>users[].serviceAccountClientId</c> with <c>clientRoles["realm-management"]</c>). The set is exact:
    /// roles not listed are revoked (least privilege).
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ServiceAccountRoles { get; init; }

    /// <summary>Declared realm texts per locale (<c>localizationTexts</c>); keys not declared are left alone.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LocalizationTexts { get; init; }

    /// <summary>
    /// Collections the file owns entirely (<c>x-idpbridge.exclusive</c>: <c>identityProviders</c>,
    /// <c>identityProviderMappers</c>): live items the file does not declare are deleted. Default: none.
    /// </summary>
    public required IReadOnlySet<string> ExclusiveCollections { get; init; }

    /// <summary>The role and scope names the file refers to, with where, checked against the file and the live realm at plan time.</summary>
    public IReadOnlyList<RealmConfigReference> References { get; init; } = [];

    /// <summary>Top-level sections of the file that IdpBridge does not manage and ignored (one warning lists them).</summary>
    public required IReadOnlyList<string> IgnoredSections { get; init; }
}
