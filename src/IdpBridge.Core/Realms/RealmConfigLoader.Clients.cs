using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Clients and the realm-management roles of their service accounts.</summary>
    private sealed partial class Session
    {
        private static readonly string[] ClientBooleans =
        [
            "enabled", "publicClient", "bearerOnly", "consentRequired", "standardFlowEnabled", "implicitFlowEnabled",
            "directAccessGrantsEnabled", "serviceAccountsEnabled", "frontchannelLogout", "fullScopeAllowed",
        ];
        private static readonly string[] ClientStringArrays = ["redirectUris", "webOrigins"];

        private void ValidateClient(JsonObject client, string path)
        {
            CheckFields(client, path, ClientBooleans, JsonShape.Boolean);
            CheckFields(client, path, ClientStringArrays, JsonShape.StringArray);
            StringMap(client, path, "attributes", "client attributes");
            References(client, path, "defaultClientScopes", RealmReferenceKind.ClientScope);
            References(client, path, "optionalClientScopes", RealmReferenceKind.ClientScope);
        }

        private Dictionary<string, IReadOnlyList<string>> MapServiceAccounts(JsonObject root)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            const string UsersPath = "$." + UsersKey;
            if (!root.TryGetPropertyValue(UsersKey, out var node) || !Check(node, UsersPath, out JsonArray? users))
            {
                return result;
            }

            var people = 0;
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < users.Count; i++)
            {
                var userPath = JsonPaths.Index(UsersPath, i);
                if (!Check(users[i], userPath, out JsonObject? user))
                {
                    continue;
                }

                if (!user.ContainsKey("serviceAccountClientId"))
                {
                    people++;
                    continue;
                }

                var clientIdPath = JsonPaths.Property(userPath, "serviceAccountClientId");
                var clientId = RequiredString(user, userPath, "serviceAccountClientId", "a service account names its client");
                var roles = ServiceAccountRoles(user, userPath);
                if (clientId is null || roles is null)
                {
                    continue;
                }

                if (seen.TryGetValue(clientId, out var firstPath))
                {
                    Error(clientIdPath, $"duplicate service account of client {Name(clientIdPath, user["serviceAccountClientId"])} (first declared at {firstPath})");
                    continue;
                }

                seen[clientId] = userPath;
                result[clientId] = roles;
            }

            if (people > 0)
            {
                ignored.Add($"{UsersKey} ({Count(people, "person", "people")}; IdpBridge never provisions people)");
            }

            return result;
        }

        private List<string>? ServiceAccountRoles(JsonObject user, string userPath)
        {
            var clientRolesPath = JsonPaths.Property(userPath, "clientRoles");
            if (!user.TryGetPropertyValue("clientRoles", out var node))
            {
                return [];
            }

            if (!Check(node, clientRolesPath, out JsonObject? clientRoles))
            {
                return null;
            }

            var rolesPath = JsonPaths.Property(clientRolesPath, "realm-management");
            if (!clientRoles.TryGetPropertyValue("realm-management", out var roles))
            {
                return [];
            }

            return Check(roles, rolesPath, JsonShape.StringArray) ? [.. roles!.AsArray().Select(r => r!.GetValue<string>())] : null;
        }
    }
}
