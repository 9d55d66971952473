using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>
    /// The realm's roles, whole (<c>GET /roles?briefRepresentation=false</c>: a brief list leaves out
    /// <c>attributes</c>). Keycloak answers every realm role at once when no <c>first</c>/<c>max</c> is given.
    /// </summary>
    public async Task<IReadOnlyList<RoleRepresentation>> ListRealmRolesAsync(string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<RoleRepresentation>>(
            KeycloakPath.Realm(realm, "roles").WithQuery([("briefRepresentation", false)]), cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a realm role (<c>POST /roles</c>); 409 when the name exists. Not retried.</summary>
    public Task<string> CreateRealmRoleAsync(string realm, RoleRepresentation role, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "roles").ToString(), role, cancellationToken);

    /// <summary>
    /// Replaces a realm role's name, description and (when present) attributes (<c>PUT /roles/{name}</c>; an absent
    /// description is cleared, composites are not touched). Retried on transient failures.
    /// </summary>
    public Task UpdateRealmRoleAsync(string realm, string name, RoleRepresentation role, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "roles", name).ToString(), role, retrySafe: true, cancellationToken);
}
