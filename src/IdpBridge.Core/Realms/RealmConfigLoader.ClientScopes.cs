using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Client scopes with their protocol mappers, and the realm's default client scopes.</summary>
    private sealed partial class Session
    {
        private void ValidateClientScope(JsonObject scope, string path)
        {
            CheckFields(scope, path, ["description", "protocol"], JsonShape.String);
            StringMap(scope, path, "attributes", "client scope attributes");
            MapKeyedList(scope, path, "protocolMappers", "name", ValidateProtocolMapper);
        }

        private void ValidateProtocolMapper(JsonObject mapper, string path)
        {
            RequiredString(mapper, path, "protocolMapper", "every protocol mapper names its type (e.g. oidc-audience-mapper)");
            CheckFields(mapper, path, ["protocol"], JsonShape.String);
            CheckFields(mapper, path, ["consentRequired"], JsonShape.Boolean);
            StringMap(mapper, path, "config", "protocol mapper config");
        }

        /// <summary>The realm's <c>defaultDefaultClientScopes</c> and <c>defaultOptionalClientScopes</c>, as declared.</summary>
        private JsonObject MapDefaultClientScopes(JsonObject root)
        {
            var result = new JsonObject();
            foreach (var key in new[] { ClientScopeLinks.RealmFields.Default, ClientScopeLinks.RealmFields.Optional })
            {
                if (root.TryGetPropertyValue(key, out var node) && Check(node, JsonPaths.Property(JsonPaths.Root, key), JsonShape.StringArray))
                {
                    References(root, JsonPaths.Root, key, RealmReferenceKind.ClientScope);
                    result[key] = node!.DeepClone();
                }
            }

            return result;
        }
    }
}
