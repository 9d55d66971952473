using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the realm's declared roles (<c>roles.realm</c>, by name): their description and attributes.</summary>
internal sealed class RealmRolePlanner(KeycloakAdminClient keycloak)
{
    /// <summary>Role fields that are the server's (ids, the realm's id) or not managed (composites): never compared or sent.</summary>
    private static readonly IReadOnlySet<string> NotManaged = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "containerId", "clientRole", "composite", "composites",
    };

    /// <summary>The realm's roles by name, as the role planner, the group planner and the reference check use them.</summary>
    public async Task<Dictionary<string, JsonObject>> ListLiveAsync(string realm, CancellationToken cancellationToken) =>
        (await keycloak.ListRealmRolesAsync(realm, cancellationToken).ConfigureAwait(false))
            .ToDictionary(role => role.Name ?? "", ToJson, StringComparer.Ordinal);

    /// <summary>What a new realm will get: every declared role, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.RealmRoles.Select(role => new ResourceChange("realm-role", Text(role, "name"), ChangeKind.Create, JsonCompare.Declared(Without(role, NotManaged), null)));

    /// <summary>Adds the changes the declared roles need to <paramref name="changes"/>.</summary>
    public void Plan(RealmConfig config, Dictionary<string, JsonObject> live, List<ResourceChange> changes)
    {
        var realm = config.RealmName;
        foreach (var declared in config.RealmRoles)
        {
            var name = Text(declared, "name");
            var wanted = Without(declared, NotManaged);
            if (!live.TryGetValue(name, out var current))
            {
                changes.Add(new ResourceChange("realm-role", name, ChangeKind.Create, JsonCompare.Declared(wanted, null))
                {
                    Apply = token => keycloak.CreateRealmRoleAsync(realm, FromJson<RoleRepresentation>(wanted), token),
                });
                continue;
            }

            var fields = JsonCompare.Declared(wanted, current, sets: AttributeSets(wanted));
            if (fields.Count == 0)
            {
                continue;
            }

            // The PUT clears an absent description and replaces the attribute set: send the live role with the declared
            // fields laid over it, so undeclared attributes survive.
            var merged = Without(Merge(current, wanted), NotManaged);
            changes.Add(new ResourceChange("realm-role", name, ChangeKind.Update, fields)
            {
                Apply = token => keycloak.UpdateRealmRoleAsync(realm, name, FromJson<RoleRepresentation>(merged), token),
            });
        }
    }

    /// <summary>
    /// The paths of the declared attributes: Keycloak keeps a role's or a group's attribute values as rows with no
    /// order, so each list compares as a set.
    /// </summary>
    internal static IReadOnlySet<string> AttributeSets(JsonObject declared) =>
        ((declared["attributes"] as JsonObject)?.Select(attribute => $"attributes.{attribute.Key}") ?? [])
            .ToHashSet(StringComparer.Ordinal);
}
