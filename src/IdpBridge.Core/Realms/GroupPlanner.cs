using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Groups;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans the realm's declared top-level groups (by name): their attributes, and the exact set of realm roles granted
/// to each that declares <c>realmRoles</c>. Members, sub-groups and client roles are not managed.
/// </summary>
internal sealed class GroupPlanner(KeycloakAdminClient keycloak)
{
    private const string RealmRolesKey = "realmRoles";

    /// <summary>Group fields that are the server's, derived, or not managed: never compared or sent.</summary>
    private static readonly IReadOnlySet<string> NotManaged = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "path", "parentId", "subGroupCount", "subGroups", "access", "clientRoles", RealmRolesKey,
    };

    /// <summary>What a new realm will get: every declared group, created with its roles.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.Groups.Select(group => new ResourceChange(
            "group", Text(group, "name"), ChangeKind.Create, [.. JsonCompare.Declared(Without(group, NotManaged), null), .. Granted(Roles(group) ?? [], [])]));

    /// <summary>Adds the changes the declared groups need to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.Groups.Count == 0)
        {
            return;
        }

        var realm = config.RealmName;
        var live = (await keycloak.ListGroupsAsync(realm, cancellationToken).ConfigureAwait(false))
            .ToDictionary(group => group.Name ?? "", StringComparer.Ordinal);
        foreach (var declared in config.Groups)
        {
            var name = Text(declared, "name");
            var wanted = Without(declared, NotManaged);
            var wantedRoles = Roles(declared);
            if (!live.TryGetValue(name, out var group))
            {
                var grants = wantedRoles ?? [];
                changes.Add(new ResourceChange("group", name, ChangeKind.Create, [.. JsonCompare.Declared(wanted, null), .. Granted(grants, [])])
                {
                    Apply = async token =>
                    {
                        var id = await keycloak.CreateGroupAsync(realm, FromJson<GroupRepresentation>(wanted), token).ConfigureAwait(false);
                        await GrantAsync(realm, id, grants, [], token).ConfigureAwait(false);
                    },
                });
                continue;
            }

            var current = ToJson(group);
            var fields = JsonCompare.Declared(wanted, current, sets: RealmRolePlanner.AttributeSets(wanted));
            var putNeeded = fields.Count > 0;
            List<string> add = [], remove = [];
            if (wantedRoles is not null)
            {
                var held = (await keycloak.ListGroupRealmRolesAsync(realm, group.Id!, cancellationToken).ConfigureAwait(false))
                    .Select(role => role.Name ?? "").ToList();
                add = [.. wantedRoles.Except(held, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                remove = [.. held.Except(wantedRoles, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                fields.AddRange(Granted(add, remove));
            }

            if (fields.Count == 0)
            {
                continue;
            }

            // The PUT replaces the attribute set when it carries one: the live group with the declared fields laid over it.
            var merged = Without(Merge(current, wanted), NotManaged);
            changes.Add(new ResourceChange("group", name, ChangeKind.Update, fields)
            {
                Apply = async token =>
                {
                    if (putNeeded)
                    {
                        await keycloak.UpdateGroupAsync(realm, group.Id!, FromJson<GroupRepresentation>(merged), token).ConfigureAwait(false);
                    }

                    await GrantAsync(realm, group.Id!, add, remove, token).ConfigureAwait(false);
                },
            });
        }
    }

    /// <summary>The declared <c>realmRoles</c> once each; null when the group does not declare them (its grants are then left alone).</summary>
    private static List<string>? Roles(JsonObject group) =>
        group[RealmRolesKey] is JsonArray roles ? [.. roles.Select(role => role!.GetValue<string>()).Distinct(StringComparer.Ordinal)] : null;

    private static IEnumerable<FieldChange> Granted(IEnumerable<string> add, IEnumerable<string> remove) =>
        add.Select(role => new FieldChange($"{RealmRolesKey}.{role}", null, JsonValue.Create(true)))
            .Concat(remove.Select(role => new FieldChange($"{RealmRolesKey}.{role}", JsonValue.Create(true), null)));

    private async Task GrantAsync(string realm, string groupId, List<string> add, List<string> remove, CancellationToken cancellationToken)
    {
        if (add.Count == 0 && remove.Count == 0)
        {
            return;
        }

        // The roles may have been created by this apply: their ids are looked up now.
        var roles = await keycloak.ListRealmRolesAsync(realm, cancellationToken).ConfigureAwait(false);
        if (add.Count > 0)
        {
            await keycloak.AddGroupRealmRolesAsync(realm, groupId, Pick(roles, add), cancellationToken).ConfigureAwait(false);
        }

        if (remove.Count > 0)
        {
            await keycloak.RemoveGroupRealmRolesAsync(realm, groupId, Pick(roles, remove), cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<RoleRepresentation> Pick(IReadOnlyList<RoleRepresentation> roles, List<string> names) =>
        [.. names.Select(name => roles.FirstOrDefault(role => role.Name == name) is { } role
            ? new RoleRepresentation { Id = role.Id, Name = role.Name }
            : throw new KeycloakException("GET", "roles", null, $"the realm has no role '{name}'", null))];
}
