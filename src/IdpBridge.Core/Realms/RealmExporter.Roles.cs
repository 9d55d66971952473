using System.Text.Json.Nodes;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

public sealed partial class RealmExporter
{
    /// <summary>
    /// <c>roles.realm</c> (without Keycloak's own roles of every realm) and the top-level groups with their realm roles,
    /// in the shape the loader reads: attribute values and role grants sorted, server ids left out.
    /// </summary>
    private async Task ExportRolesAndGroupsAsync(string realm, JsonObject document, CancellationToken cancellationToken)
    {
        var builtIn = RealmConfigSchema.BuiltInRealmRoles(realm);
        var roles = new JsonArray();
        foreach (var role in (await keycloak.ListRealmRolesAsync(realm, cancellationToken).ConfigureAwait(false))
                     .Where(role => !builtIn.Contains(role.Name ?? "")).OrderBy(role => role.Name, StringComparer.Ordinal))
        {
            var node = new JsonObject { ["name"] = role.Name };
            if (role.Description is not null)
            {
                node["description"] = role.Description;
            }

            AddAttributes(node, ToJson(role));
            roles.Add((JsonNode)node);
        }

        if (roles.Count > 0)
        {
            document["roles"] = new JsonObject { ["realm"] = roles };
        }

        var groups = new JsonArray();
        foreach (var group in (await keycloak.ListGroupsAsync(realm, cancellationToken).ConfigureAwait(false)).OrderBy(group => group.Name, StringComparer.Ordinal))
        {
            var node = new JsonObject { ["name"] = group.Name };
            var json = ToJson(group);
            if (json["description"] is { } description)
            {
                node["description"] = description.DeepClone();
            }

            AddAttributes(node, json);
            var granted = await keycloak.ListGroupRealmRolesAsync(realm, group.Id!, cancellationToken).ConfigureAwait(false);
            node["realmRoles"] = new JsonArray(granted.Select(role => role.Name ?? "").Order(StringComparer.Ordinal).Select(name => (JsonNode?)name).ToArray());
            groups.Add((JsonNode)node);
        }

        if (groups.Count > 0)
        {
            document["groups"] = groups;
        }
    }

    private static void AddAttributes(JsonObject target, JsonObject source)
    {
        if (source["attributes"] is JsonObject { Count: > 0 } attributes)
        {
            var sorted = new JsonObject();
            foreach (var (name, values) in attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                sorted[name] = values is JsonArray array ? SetValuedFields.Sorted(array) : values?.DeepClone();
            }

            target["attributes"] = sorted;
        }
    }
}
