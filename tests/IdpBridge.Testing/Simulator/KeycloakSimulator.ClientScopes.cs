using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    /// <summary><c>GET /client-scopes</c>: the realm's client scopes (id, name, protocol).</summary>
    private SimResponse? ClientScopes(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (rest.Length != 1)
        {
            return null;
        }

        if (request.Method != "GET")
        {
            return MethodNotAllowed(request);
        }

        Require(caller, "view-clients");
        return SimResponse.Json(new JsonArray(realm.ClientScopes.Select(scope => (JsonNode?)scope.DeepClone()).ToArray()));
    }

    /// <summary>
    /// <c>/clients/{id}/default-client-scopes[/{scopeId}]</c> and <c>optional-client-scopes</c> (ClientResource): GET the
    /// links of one kind; PUT links a scope, and does nothing when it is already linked, of either kind; DELETE
    /// unlinks it, whichever kind its link is.
    /// </summary>
    private SimResponse ClientScopeLinks(SimRequest request, SimulatedRealm realm, JsonObject client, string[] rest)
    {
        var field = rest[2] == "default-client-scopes" ? "defaultClientScopes" : "optionalClientScopes";
        var linked = SimJson.StringList(client[field]) ?? [];
        if (rest.Length == 3)
        {
            return request.Method == "GET"
                ? SimResponse.Json(new JsonArray(linked
                    .Select(name => realm.ClientScopes.FirstOrDefault(scope => SimJson.Str(scope, "name") == name))
                    .OfType<JsonObject>()
                    .Select(scope => (JsonNode?)new JsonObject { ["id"] = SimJson.Str(scope, "id"), ["name"] = SimJson.Str(scope, "name") })
                    .ToArray()))
                : MethodNotAllowed(request);
        }

        var found = realm.ClientScopes.FirstOrDefault(scope => SimJson.Str(scope, "id") == rest[3]);
        if (found is null || rest.Length != 4)
        {
            return found is null ? SimResponse.Error(404, "error", "Client scope not found") : SimResponse.NotFound();
        }

        var name = SimJson.Str(found, "name")!;
        switch (request.Method)
        {
            case "PUT":
                var elsewhere = SimJson.StringList(client[field == "defaultClientScopes" ? "optionalClientScopes" : "defaultClientScopes"]) ?? [];
                if (!linked.Contains(name) && !elsewhere.Contains(name))
                {
                    client[field] = JavaSetOrder.Reorder(SimJson.ToArray(linked.Append(name)), loadedInValueOrder: false);
                }

                return SimResponse.NoContent();
            case "DELETE":
                foreach (var kind in new[] { "defaultClientScopes", "optionalClientScopes" })
                {
                    if (SimJson.StringList(client[kind]) is { } names && names.Remove(name))
                    {
                        client[kind] = SimJson.ToArray(names);
                    }
                }

                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
    }
}
