using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's clients, or those whose <c>clientId</c> is <paramref name="clientId"/>.</summary>
    public async Task<IReadOnlyList<ClientRepresentation>> ListClientsAsync(
        string realm, string? clientId = null, CancellationToken cancellationToken = default) =>
        await GetAsync<List<ClientRepresentation>>(
            KeycloakPath.Realm(realm, "clients").WithQuery([("clientId", clientId)]), cancellationToken).ConfigureAwait(false);

    /// <summary>One client by internal id (UUID); null when absent.</summary>
    public Task<ClientRepresentation?> FindClientAsync(string realm, string id, CancellationToken cancellationToken = default) =>
        FindAsync<ClientRepresentation>(KeycloakPath.Realm(realm, "clients", id).ToString(), cancellationToken);

    /// <summary>Creates a client and returns its internal id; 409 when the clientId exists. Not retried.</summary>
    public Task<string> CreateClientAsync(string realm, ClientRepresentation client, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "clients").ToString(), client, cancellationToken);

    /// <summary>Applies the fields present to a client. Retried on transient failures.</summary>
    public Task UpdateClientAsync(
        string realm, string id, ClientRepresentation client, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "clients", id).ToString(), client, retrySafe: true, cancellationToken);

    /// <summary>The user behind a client's service account.</summary>
    public Task<UserRepresentation> GetServiceAccountUserAsync(
        string realm, string clientUuid, CancellationToken cancellationToken = default) =>
        GetAsync<UserRepresentation>(KeycloakPath.Realm(realm, "clients", clientUuid, "service-account-user").ToString(), cancellationToken);

    /// <summary>The roles a client defines (e.g. the <c>realm-management</c> client's admin roles).</summary>
    public async Task<IReadOnlyList<RoleRepresentation>> ListClientRolesAsync(
        string realm, string clientUuid, CancellationToken cancellationToken = default) =>
        await GetAsync<List<RoleRepresentation>>(
            KeycloakPath.Realm(realm, "clients", clientUuid, "roles").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>The roles of client <paramref name="clientUuid"/> granted directly to a user.</summary>
    public async Task<IReadOnlyList<RoleRepresentation>> ListUserClientRolesAsync(
        string realm, string userId, string clientUuid, CancellationToken cancellationToken = default) =>
        await GetAsync<List<RoleRepresentation>>(
            KeycloakPath.Realm(realm, "users", userId, "role-mappings", "clients", clientUuid).ToString(), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Grants client roles to a user. Granting a role the user has is a no-op in Keycloak, so the call is retried
    /// on transient failures.
    /// </summary>
    public Task AddUserClientRolesAsync(
        string realm, string userId, string clientUuid, IReadOnlyList<RoleRepresentation> roles, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Post,
            KeycloakPath.Realm(realm, "users", userId, "role-mappings", "clients", clientUuid).ToString(),
            roles,
            retrySafe: true,
            cancellationToken);

    /// <summary>Revokes client roles from a user. Retried on transient failures (revoking twice is a no-op).</summary>
    public Task RemoveUserClientRolesAsync(
        string realm, string userId, string clientUuid, IReadOnlyList<RoleRepresentation> roles, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Delete,
            KeycloakPath.Realm(realm, "users", userId, "role-mappings", "clients", clientUuid).ToString(),
            roles,
            retrySafe: true,
            cancellationToken);
}
