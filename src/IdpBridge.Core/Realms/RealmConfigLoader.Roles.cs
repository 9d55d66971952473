using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Realm roles (<c>roles.realm</c>) and groups with their realm-role grants (<c>groups</c>).</summary>
    private sealed partial class Session
    {
        private const string RolesKey = "roles";

        /// <summary>Keycloak's fields of a group that IdpBridge leaves alone when they hold something.</summary>
        private static readonly string[] UnmanagedGroupFields = ["subGroups", "clientRoles"];

        /// <summary><c>roles.realm</c>, by name: what each role is (name, description, attributes); composites are not managed.</summary>
        private List<JsonObject> MapRealmRoles(JsonObject root)
        {
            var path = JsonPaths.Property(JsonPaths.Root, RolesKey);
            if (!root.TryGetPropertyValue(RolesKey, out var node) || !Check(node, path, out JsonObject? roles))
            {
                return [];
            }

            foreach (var (key, value) in roles)
            {
                if (key != "realm" && value is not (JsonObject { Count: 0 } or JsonArray { Count: 0 }))
                {
                    ignored.Add($"{RolesKey}.{key}");
                }
            }

            return MapKeyedList(roles, path, "realm", "name", ValidateRealmRole);
        }

        private void ValidateRealmRole(JsonObject role, string path)
        {
            CheckFields(role, path, ["description"], JsonShape.String);
            StringListMap(role, path, "attributes", "role attributes");
            if (role["composites"] is JsonObject { Count: > 0 })
            {
                ignored.Add($"{RolesKey}.realm[].composites");
            }
        }

        private void ValidateGroup(JsonObject group, string path)
        {
            CheckFields(group, path, ["description"], JsonShape.String);
            StringListMap(group, path, "attributes", "group attributes");
            References(group, path, "realmRoles", RealmReferenceKind.RealmRole);
            foreach (var field in UnmanagedGroupFields)
            {
                if (group[field] is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                {
                    ignored.Add($"groups[].{field}");
                }
            }
        }

        /// <summary>Reads an optional array of names of <paramref name="kind"/>, keeping where each is for the plan-time check.</summary>
        private void References(JsonObject owner, string ownerPath, string key, RealmReferenceKind kind)
        {
            var path = JsonPaths.Property(ownerPath, key);
            if (!owner.TryGetPropertyValue(key, out var node) || !Check(node, path, JsonShape.StringArray))
            {
                return;
            }

            var names = node!.AsArray();
            for (var i = 0; i < names.Count; i++)
            {
                var itemPath = JsonPaths.Index(path, i);
                var (line, column) = sourceMap.Locate(itemPath);
                references.Add(new RealmConfigReference(kind, names[i]!.GetValue<string>(), itemPath, line, column));
            }
        }

        /// <summary>Reads an optional object of string arrays (Keycloak's role and group attributes).</summary>
        private void StringListMap(JsonObject owner, string ownerPath, string key, string what)
        {
            var path = JsonPaths.Property(ownerPath, key);
            if (!owner.TryGetPropertyValue(key, out var node) || !Check(node, path, out JsonObject? map))
            {
                return;
            }

            foreach (var (name, value) in map)
            {
                var valuePath = JsonPaths.Property(path, name);
                if (value is not JsonArray)
                {
                    Error(valuePath, $"expected an array of strings ({what} map names to lists of values), got {Describe(valuePath, value)}");
                    continue;
                }

                Check(value, valuePath, JsonShape.StringArray);
            }
        }
    }
}
