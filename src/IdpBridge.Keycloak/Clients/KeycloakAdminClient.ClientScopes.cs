using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's client scopes (<c>GET /client-scopes</c>).</summary>
    public async Task<IReadOnlyList<ClientScopeRepresentation>> ListClientScopesAsync(string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<ClientScopeRepresentation>>(KeycloakPath.Realm(realm, "client-scopes").ToString(), cancellationToken).ConfigureAwait(false);

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

    private static string ScopePath(string realm, string clientUuid, ClientScopeKind kind, string clientScopeId) =>
        KeycloakPath.Realm(
            realm, "clients", clientUuid, kind == ClientScopeKind.Default ? "default-client-scopes" : "optional-client-scopes", clientScopeId).ToString();
}
