using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's client scopes, each with its attributes and protocol mappers (<c>GET /client-scopes</c>).</summary>
    public async Task<IReadOnlyList<ClientScopeRepresentation>> ListClientScopesAsync(string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<ClientScopeRepresentation>>(KeycloakPath.Realm(realm, "client-scopes").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a client scope (with the protocol mappers it carries) and returns its id; 409 when the name exists. Not retried.</summary>
    public Task<string> CreateClientScopeAsync(string realm, ClientScopeRepresentation scope, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "client-scopes").ToString(), scope, cancellationToken);

    /// <summary>
    /// Updates a client scope's name, description, protocol and attributes (<c>PUT /client-scopes/{id}</c>: attributes
    /// sent are set, others kept; protocol mappers are not touched). Retried on transient failures.
    /// </summary>
    public Task UpdateClientScopeAsync(string realm, string id, ClientScopeRepresentation scope, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "client-scopes", id).ToString(), scope, retrySafe: true, cancellationToken);

    /// <summary>Adds a protocol mapper to a client scope and returns its id; 409 when the name exists in it. Not retried.</summary>
    public Task<string> CreateClientScopeMapperAsync(
        string realm, string scopeId, ProtocolMapperRepresentation mapper, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "client-scopes", scopeId, "protocol-mappers", "models").ToString(), mapper, cancellationToken);

    /// <summary>Replaces a protocol mapper of a client scope (its whole config). Retried on transient failures.</summary>
    public Task UpdateClientScopeMapperAsync(
        string realm, string scopeId, string mapperId, ProtocolMapperRepresentation mapper, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Put, KeycloakPath.Realm(realm, "client-scopes", scopeId, "protocol-mappers", "models", mapperId).ToString(), mapper, retrySafe: true, cancellationToken);

    /// <summary>
    /// Links a client scope to a client. A client's own PUT ignores <c>defaultClientScopes</c> and
    /// <c>optionalClientScopes</c>: this is how they change. Keycloak answers 204 and changes nothing when the scope is
    /// already linked, of either kind (unlink it first to change its kind), so the call is retried on transient failures.
    /// </summary>
    public Task AddClientScopeAsync(
        string realm, string clientUuid, ClientScopeKind kind, string clientScopeId, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, ScopePath(realm, clientUuid, kind, clientScopeId), retrySafe: true, cancellationToken);

    /// <summary>Unlinks a client scope from a client, whichever kind its link is. Retried on transient failures.</summary>
    public Task RemoveClientScopeAsync(
        string realm, string clientUuid, ClientScopeKind kind, string clientScopeId, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Delete, ScopePath(realm, clientUuid, kind, clientScopeId), retrySafe: true, cancellationToken);

    /// <summary>
    /// The realm's default client scopes of one kind, which every new client gets (<c>GET /default-default-client-scopes</c>
    /// or <c>/default-optional-client-scopes</c>; id, name and protocol of each).
    /// </summary>
    public async Task<IReadOnlyList<ClientScopeRepresentation>> ListRealmDefaultClientScopesAsync(
        string realm, ClientScopeKind kind, CancellationToken cancellationToken = default) =>
        await GetAsync<List<ClientScopeRepresentation>>(KeycloakPath.Realm(realm, RealmDefaultsSegment(kind)).ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Makes a client scope one of the realm's defaults of <paramref name="kind"/>. Keycloak answers 409 when it is a default
    /// of the other kind (remove it first). Retried on transient failures (adding twice is a no-op).
    /// </summary>
    public Task AddRealmDefaultClientScopeAsync(string realm, ClientScopeKind kind, string clientScopeId, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, RealmDefaultsSegment(kind), clientScopeId).ToString(), retrySafe: true, cancellationToken);

    /// <summary>Takes a client scope off the realm's defaults, whichever kind it is. Retried on transient failures.</summary>
    public Task RemoveRealmDefaultClientScopeAsync(string realm, ClientScopeKind kind, string clientScopeId, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Delete, KeycloakPath.Realm(realm, RealmDefaultsSegment(kind), clientScopeId).ToString(), retrySafe: true, cancellationToken);

    private static string RealmDefaultsSegment(ClientScopeKind kind) =>
        kind == ClientScopeKind.Default ? "default-default-client-scopes" : "default-optional-client-scopes";

    private static string ScopePath(string realm, string clientUuid, ClientScopeKind kind, string clientScopeId) =>
        KeycloakPath.Realm(
            realm, "clients", clientUuid, kind == ClientScopeKind.Default ? "default-client-scopes" : "optional-client-scopes", clientScopeId).ToString();
}
