using System.Text.Json;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.UserProfile;

namespace IdpBridge.Core.Audit;

/// <summary>
/// The live realm as the checks read it: Keycloak's own representations, read once (<see cref="RealmSnapshotReader"/>),
/// so that every check is a pure function of this record and can be tested on representations alone.
/// </summary>
public sealed record RealmSnapshot
{
    /// <summary>The realm (<c>GET /admin/realms/{realm}</c>).</summary>
    public required RealmRepresentation Realm { get; init; }

    /// <summary>The user profile (<c>GET /users/profile</c>).</summary>
    public required UserProfileConfig UserProfile { get; init; }

    /// <summary>The events settings (<c>GET /events/config</c>).</summary>
    public required RealmEventsConfigRepresentation Events { get; init; }

    /// <summary>Every identity provider, whole (read by alias).</summary>
    public IReadOnlyList<IdentityProviderRepresentation> IdentityProviders { get; init; } = [];

    /// <summary>Every identity provider's mappers.</summary>
    public IReadOnlyList<IdentityProviderMapperRepresentation> IdentityProviderMappers { get; init; } = [];

    /// <summary>Every client, with its own protocol mappers and linked scopes (kept in <c>Unmapped</c>).</summary>
    public IReadOnlyList<ClientRepresentation> Clients { get; init; } = [];

    /// <summary>Every client scope, with its protocol mappers.</summary>
    public IReadOnlyList<ClientScopeRepresentation> ClientScopes { get; init; } = [];

    /// <summary>The names of the realm's default scopes for new clients (<c>default-default-client-scopes</c>).</summary>
    public IReadOnlyList<string> DefaultDefaultClientScopes { get; init; } = [];

    /// <summary>The names of the realm's optional scopes for new clients (<c>default-optional-client-scopes</c>).</summary>
    public IReadOnlyList<string> DefaultOptionalClientScopes { get; init; } = [];

    /// <summary>A realm attribute (<c>adminEventsExpiration</c>...), null when absent.</summary>
    public string? RealmAttribute(string name) =>
        Realm.Attributes is { } attributes && attributes.TryGetValue(name, out var value) ? value : null;

    /// <summary>A string field of the realm that IdpBridge's representation does not type (<c>registrationFlow</c>).</summary>
    public string? RealmField(string name) =>
        Realm.Unmapped is { } unmapped && unmapped.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The client scopes linked to <paramref name="client"/> as <paramref name="field"/> (<c>defaultClientScopes</c> or <c>optionalClientScopes</c>).</summary>
    public static IReadOnlyList<string> LinkedScopes(ClientRepresentation client, string field)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Unmapped is { } unmapped && unmapped.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];
    }

    /// <summary>The client's own protocol mappers (<c>protocolMappers</c> of the client representation).</summary>
    public static IReadOnlyList<ProtocolMapperRepresentation> ClientMappers(ClientRepresentation client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Unmapped is { } unmapped && unmapped.TryGetValue("protocolMappers", out var value) && value.ValueKind == JsonValueKind.Array
            ? value.Deserialize(IdpBridge.Keycloak.Http.KeycloakJson.TypeInfo<List<ProtocolMapperRepresentation>>()) ?? []
            : [];
    }
}
