using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Identity providers and their mappers.</summary>
    private sealed partial class Session
    {
        private static readonly string[] IdentityProviderBooleans =
            ["enabled", "trustEmail", "storeToken", "addReadTokenRoleOnCreate", "authenticateByDefault", "linkOnly", "hideOnLogin"];

        private void ValidateIdentityProvider(JsonObject provider, string path)
        {
            var typePath = JsonPaths.Property(path, "providerId");
            var known = string.Join(", ", RealmConfigSchema.KnownIdentityProviderTypes.Order(StringComparer.Ordinal));
            if (RequiredString(provider, path, "providerId", $"every identity provider names its type; Keycloak 26 knows {known}") is { } type
                && !unresolved.Contains(typePath) && !RealmConfigSchema.KnownIdentityProviderTypes.Contains(type))
            {
                Error(typePath, $"unknown identity provider type {Name(typePath, provider["providerId"])}; Keycloak 26 knows {known}");
            }

            CheckFields(provider, path, IdentityProviderBooleans, JsonShape.Boolean);
            StringMap(provider, path, "config", "identity provider config");
        }

        private List<JsonObject> MapMappers(JsonObject root)
        {
            const string Section = "identityProviderMappers";
            var result = new List<JsonObject>();
            var sectionPath = JsonPaths.Property(JsonPaths.Root, Section);
            if (!root.TryGetPropertyValue(Section, out var node) || !Check(node, sectionPath, out JsonArray? items))
            {
                return result;
            }

            var seen = new Dictionary<(string, string), string>();
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = JsonPaths.Index(sectionPath, i);
                if (!Check(items[i], itemPath, out JsonObject? mapper))
                {
                    continue;
                }

                var alias = RequiredString(mapper, itemPath, "identityProviderAlias", "every mapper names the identity provider it belongs to");
                var name = RequiredString(mapper, itemPath, "name", "every mapper is identified by its name");
                RequiredString(mapper, itemPath, "identityProviderMapper", "every mapper names its type (e.g. hardcoded-attribute-idp-mapper)");
                StringMap(mapper, itemPath, "config", "mapper config");
                if (alias is not null && name is not null)
                {
                    if (seen.TryGetValue((alias, name), out var firstPath))
                    {
                        var namePath = JsonPaths.Property(itemPath, "name");
                        Error(namePath,
                            $"duplicate mapper {Name(namePath, mapper["name"])} for identity provider " +
                            $"{Name(JsonPaths.Property(itemPath, "identityProviderAlias"), mapper["identityProviderAlias"])} (first declared at {firstPath})");
                    }
                    else
                    {
                        seen[(alias, name)] = itemPath;
                    }
                }

                result.Add(mapper.DeepClone().AsObject());
            }

            return result;
        }
    }
}
