using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Groups;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>Groups read per request when listing (Keycloak's own default page is 100).</summary>
    private const int GroupPage = 100;

    /// <summary>
    /// The realm's top-level groups, whole (<c>GET /groups?briefRepresentation=false</c>, paged), without their sub-groups.
    /// </summary>
    public async Task<IReadOnlyList<GroupRepresentation>> ListGroupsAsync(string realm, CancellationToken cancellationToken = default)
    {
        var groups = new List<GroupRepresentation>();
        while (true)
        {
            var page = await GetAsync<List<GroupRepresentation>>(
                KeycloakPath.Realm(realm, "groups").WithQuery([("briefRepresentation", false), ("first", groups.Count), ("max", GroupPage)]),
                cancellationToken).ConfigureAwait(false);
            groups.AddRange(page);
            if (page.Count < GroupPage)
            {
                return groups;
            }
        }
    }

    /// <summary>Creates a top-level group (<c>POST /groups</c>) and returns its id; 409 when the name exists. Not retried.</summary>
    public Task<string> CreateGroupAsync(string realm, GroupRepresentation group, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "groups").ToString(), group, cancellationToken);

    /// <summary>Updates a group's name and (when present) its attributes (<c>PUT /groups/{id}</c>). Retried on transient failures.</summary>
    public Task UpdateGroupAsync(string realm, string id, GroupRepresentation group, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "groups", id).ToString(), group, retrySafe: true, cancellationToken);

    /// <summary>The realm roles granted to a group directly (<c>GET /groups/{id}/role-mappings/realm</c>).</summary>
    public async Task<IReadOnlyList<RoleRepresentation>> ListGroupRealmRolesAsync(string realm, string groupId, CancellationToken cancellationToken = default) =>
        await GetAsync<List<RoleRepresentation>>(
            KeycloakPath.Realm(realm, "groups", groupId, "role-mappings", "realm").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>Grants realm roles to a group (each with its id and name). Granting twice is a no-op: retried on transient failures.</summary>
    public Task AddGroupRealmRolesAsync(
        string realm, string groupId, IReadOnlyList<RoleRepresentation> roles, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Post, KeycloakPath.Realm(realm, "groups", groupId, "role-mappings", "realm").ToString(), roles, retrySafe: true, cancellationToken);

    /// <summary>Revokes realm roles from a group. Revoking twice is a no-op: retried on transient failures.</summary>
    public Task RemoveGroupRealmRolesAsync(
        string realm, string groupId, IReadOnlyList<RoleRepresentation> roles, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Delete, KeycloakPath.Realm(realm, "groups", groupId, "role-mappings", "realm").ToString(), roles, retrySafe: true, cancellationToken);
}
