using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// What a new realm holds besides its settings, as the Keycloak 26.7.3 server creates it (read from it into the
/// embedded <c>new-realm-clients-26.7.3.json</c> and <c>new-realm-client-scopes-26.7.3.json</c>, ids left out): the
/// built-in clients with their roles and the client scopes. Ids are made afresh per realm, as the server does.
/// </summary>
internal static class BuiltInRealmContent
{
    private const string RealmPlaceholder = "__REALM__";

    private static readonly Lazy<JsonObject> Clients = new(() => Embedded("new-realm-clients-26.7.3.json").AsObject());

    private static readonly Lazy<JsonArray> Scopes = new(() => Embedded("new-realm-client-scopes-26.7.3.json").AsArray());

    /// <summary>The roles of the <c>realm-management</c> client (name and whether it is composite).</summary>
    public static IEnumerable<string> RealmManagementRoles =>
        Clients.Value["roles"]!["realm-management"]!.AsArray().Select(role => role![0]!.GetValue<string>());

    /// <summary>Adds the built-in clients (<c>account</c>, <c>admin-cli</c>, <c>realm-management</c>, ...) and their roles.</summary>
    public static void AddClients(SimulatedRealm realm)
    {
        var text = Clients.Value["clients"]!.ToJsonString().Replace(RealmPlaceholder, realm.Name, StringComparison.Ordinal);
        foreach (var client in JsonNode.Parse(text)!.AsArray().OfType<JsonObject>())
        {
            var clientId = SimJson.Str(client, "clientId")!;
            WithFreshIds(client["protocolMappers"]);
            if (Clients.Value["roles"]![clientId] is JsonArray roles)
            {
                client["roles"] = new JsonArray(roles.Select(role => (JsonNode?)new JsonObject
                {
                    ["name"] = role![0]!.GetValue<string>(),
                    ["description"] = "${role_" + role[0]!.GetValue<string>() + "}",
                    ["composite"] = role[1]!.GetValue<bool>(),
                }).ToArray());
            }

            realm.AddClientUnlocked(client);
        }
    }

    /// <summary>
    /// The realm roles of a new realm (RealmManager.setupRealmDefaults): <c>offline_access</c>, <c>uma_authorization</c>
    /// and the composite <c>default-roles-{realm}</c>, with 26.7.3's descriptions.
    /// </summary>
    public static void AddRealmRoles(SimulatedRealm realm)
    {
        foreach (var (name, description) in new[]
                 {
                     ("offline_access", "${role_offline-access}"), ("uma_authorization", "${role_uma_authorization}"),
                     ("default-roles-" + realm.Name, "${role_default-roles}"),
                 })
        {
            var role = realm.NewRealmRoleUnlocked(name, description, new JsonObject());
            role["composite"] = name.StartsWith("default-roles-", StringComparison.Ordinal);
            realm.RealmRoles.Add(role);
        }
    }

    /// <summary>The realm's client scopes (ClientScopeRepresentation, with their protocol mappers), fresh ids.</summary>
    public static List<JsonObject> NewClientScopes() =>
        Scopes.Value.OfType<JsonObject>().Select(scope =>
        {
            var copy = scope.DeepClone().AsObject();
            copy.Insert(0, "id", SimulatedRealm.NewId());
            WithFreshIds(copy["protocolMappers"]);
            return copy;
        }).ToList();

    private static void WithFreshIds(JsonNode? mappers)
    {
        foreach (var mapper in (mappers as JsonArray ?? []).OfType<JsonObject>())
        {
            mapper.Insert(0, "id", SimulatedRealm.NewId());
        }
    }

    private static JsonNode Embedded(string name)
    {
        using var stream = typeof(BuiltInRealmContent).Assembly.GetManifestResourceStream("IdpBridge.Testing.Simulator." + name)
            ?? throw new InvalidOperationException($"{name} is not embedded in IdpBridge.Testing.");
        return JsonNode.Parse(stream)!;
    }
}
