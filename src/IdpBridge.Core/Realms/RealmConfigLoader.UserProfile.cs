using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>The user profile, declared at the top level or embedded in an export's component.</summary>
    private sealed partial class Session
    {
        private static readonly HashSet<string> UnmanagedAttributePolicies = new(StringComparer.Ordinal) { "ENABLED", "ADMIN_VIEW", "ADMIN_EDIT" };
        private static readonly string[] RequiredProfileAttributes = ["username", "email"];

        private JsonObject? MapUserProfile(JsonObject root)
        {
            JsonObject? declared = null;
            const string DeclaredPath = "$.userProfile";
            if (root.TryGetPropertyValue("userProfile", out var node) && Check(node, DeclaredPath, out JsonObject? profile))
            {
                ValidateUserProfile(profile, DeclaredPath, embeddedIn: null, hasEnvironmentReferences: false);
                declared = profile;
            }

            var fromComponent = MapUserProfileComponent(root);
            if (declared is not null && fromComponent is not null)
            {
                Error(DeclaredPath,
                    $"the user profile is declared twice, here and in components['{RealmConfigSchema.UserProfileComponentType}']: keep one");
            }

            return (declared ?? fromComponent)?.DeepClone().AsObject();
        }

        private JsonObject? MapUserProfileComponent(JsonObject root)
        {
            const string ComponentsPath = "$." + ComponentsKey;
            if (!root.TryGetPropertyValue(ComponentsKey, out var node) || !Check(node, ComponentsPath, out JsonObject? components))
            {
                return null;
            }

            JsonObject? result = null;
            foreach (var (type, instances) in components)
            {
                var typePath = JsonPaths.Property(ComponentsPath, type);
                if (type != RealmConfigSchema.UserProfileComponentType)
                {
                    ignored.Add(ComponentsKey + typePath[ComponentsPath.Length..]);
                    continue;
                }

                if (!Check(instances, typePath, out JsonArray? list) || list.Count == 0)
                {
                    continue;
                }

                if (list.Count > 1)
                {
                    Error(typePath, $"Keycloak keeps one user profile component; this declares {list.Count}");
                    continue;
                }

                var componentPath = JsonPaths.Index(typePath, 0);
                if (!Check(list[0], componentPath, out JsonObject? component))
                {
                    continue;
                }

                var configPath = JsonPaths.Property(componentPath, "config");
                var valuesPath = JsonPaths.Property(configPath, RealmConfigSchema.UserProfileConfigKey);
                if (component["config"] is null || component["config"] is JsonObject config && !config.ContainsKey(RealmConfigSchema.UserProfileConfigKey))
                {
                    ignored.Add($"{ComponentsKey}{typePath[ComponentsPath.Length..]} (no {RealmConfigSchema.UserProfileConfigKey}: Keycloak's default profile)");
                    continue;
                }

                if (!Check(component["config"], configPath, out JsonObject? _)
                    || !Check(component["config"]![RealmConfigSchema.UserProfileConfigKey], valuesPath, out JsonArray? values))
                {
                    continue;
                }

                if (values.Count != 1)
                {
                    Error(valuesPath, $"expected one JSON string (the user profile), got {Count(values.Count, "value", "values")}");
                    continue;
                }

                var jsonPath = JsonPaths.Index(valuesPath, 0);
                if (!Check(values[0], jsonPath, JsonShape.String) || unresolved.Contains(jsonPath))
                {
                    continue;
                }

                var hasReferences = resolutions.ContainsKey(jsonPath);
                try
                {
                    if (JsonNode.Parse(values[0]!.GetValue<string>()) is JsonObject profile)
                    {
                        ValidateUserProfile(profile, jsonPath, embeddedIn: jsonPath, hasReferences);
                        result = profile;
                    }
                    else
                    {
                        Error(jsonPath, "the user profile JSON in this string is not an object");
                    }
                }
                catch (JsonException exception)
                {
                    var at = $"line {(exception.LineNumber ?? 0) + 1}, position {(exception.BytePositionInLine ?? 0) + 1}";
                    var reason = hasReferences ? "" : $": {ReaderReason(exception.Message)}";
                    Error(jsonPath, $"the user profile JSON in this string is invalid at {at} of the string{reason}");
                }
            }

            return result;
        }

        /// <param name="profile">The UPConfig.</param>
        /// <param name="path">Its path in the file.</param>
        /// <param name="embeddedIn">The path of the JSON string holding it, for a profile read from a component.</param>
        /// <param name="hasEnvironmentReferences">Whether that string held references (then no value of it is echoed).</param>
        private void ValidateUserProfile(JsonObject profile, string path, string? embeddedIn, bool hasEnvironmentReferences)
        {
            // Inside an embedded profile every problem is reported on the string, naming the path within it.
            void Problem(string innerPath, string reason)
            {
                if (embeddedIn is null)
                {
                    Error(innerPath, reason);
                }
                else
                {
                    Error(embeddedIn, $"in the user profile, {JsonPaths.Root}{innerPath[path.Length..]}: {reason}");
                }
            }

            string Value(string innerPath, JsonNode? node) =>
                embeddedIn is not null && hasEnvironmentReferences ? Kind(node) : Describe(innerPath, node);

            var attributesPath = JsonPaths.Property(path, "attributes");
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (profile["attributes"] is JsonArray attributes)
            {
                for (var i = 0; i < attributes.Count; i++)
                {
                    var attributePath = JsonPaths.Index(attributesPath, i);
                    if (attributes[i] is JsonObject attribute && attribute["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
                    {
                        names.Add(name.GetValue<string>());
                    }
                    else
                    {
                        Problem(attributePath, $"expected an attribute object with a name, got {Value(attributePath, attributes[i])}");
                    }
                }
            }
            else if (profile.ContainsKey("attributes"))
            {
                Problem(attributesPath, $"expected an array, got {Value(attributesPath, profile["attributes"])}");
                return;
            }

            foreach (var required in RequiredProfileAttributes.Where(r => !names.Contains(r)))
            {
                Problem(attributesPath,
                    $"the user profile drops '{required}', which Keycloak refuses (\"The attribute '{required}' can not be removed\")");
            }

            var policyPath = JsonPaths.Property(path, "unmanagedAttributePolicy");
            if (profile.TryGetPropertyValue("unmanagedAttributePolicy", out var policy))
            {
                var text = policy is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (text == "DISABLED")
                {
                    Problem(policyPath,
                        "Keycloak has no DISABLED value: leave unmanagedAttributePolicy out to disable unmanaged attributes");
                }
                else if (text is null || !UnmanagedAttributePolicies.Contains(text))
                {
                    Problem(policyPath,
                        $"expected ENABLED, ADMIN_VIEW or ADMIN_EDIT (or no unmanagedAttributePolicy to disable unmanaged attributes), got {Value(policyPath, policy)}");
                }
            }

            var groupsPath = JsonPaths.Property(path, "groups");
            if (profile.TryGetPropertyValue("groups", out var groups) && groups is not JsonArray)
            {
                Problem(groupsPath, $"expected an array, got {Value(groupsPath, groups)}");
            }
        }
    }
}
