using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    /// <summary>
    /// <c>/client-scopes[/{id}[/protocol-mappers/models[/{mapperId}]]]</c> (ClientScopesResource, ClientScopeResource,
    /// ProtocolMappersResource): GET lists the scopes with their attributes and mappers; POST creates one with the mappers
    /// it carries (409 on a taken name); PUT sets the name, description and protocol as sent and each attribute sent
    /// (others kept, mappers untouched); a mapper's PUT replaces it, config included.
    /// </summary>
    private SimResponse? ClientScopes(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        Require(caller, request.Method == "GET" ? "view-clients" : "manage-clients");
        if (rest.Length == 1)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(new JsonArray(realm.ClientScopes.Select(scope => (JsonNode?)scope.DeepClone()).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    var name = SimJson.Str(body, "name") ?? throw new SimHttpException(SimResponse.BadRequest("Client scope name is required"));
                    if (realm.ClientScopes.Any(scope => SimJson.Str(scope, "name") == name))
                    {
                        return SimResponse.Conflict("Client Scope " + name + " already exists");
                    }

                    var id = SimulatedRealm.NewId();
                    var created = new JsonObject { ["id"] = id, ["name"] = name };
                    foreach (var key in new[] { "description", "protocol" })
                    {
                        if (SimJson.Str(body, key) is { } text)
                        {
                            created[key] = text;
                        }
                    }

                    created["attributes"] = body["attributes"] is JsonObject attributes ? SimJson.Clone(attributes) : new JsonObject();
                    var mappers = (body["protocolMappers"] as JsonArray ?? []).OfType<JsonObject>().Select(NewProtocolMapper).ToArray();
                    if (mappers.Length > 0)
                    {
                        created["protocolMappers"] = new JsonArray(mappers);
                    }

                    realm.ClientScopes.Add(created);
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/client-scopes/" + id);
                default:
                    return MethodNotAllowed(request);
            }
        }

        var found = realm.ClientScopes.FirstOrDefault(scope => SimJson.Str(scope, "id") == rest[1]);
        if (found is null)
        {
            return SimResponse.Error(404, "error", "Could not find client scope");
        }

        if (rest.Length == 2)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(found.DeepClone());
                case "PUT":
                    var body = request.JsonObjectBody();
                    foreach (var key in new[] { "name", "description", "protocol" })
                    {
                        if (SimJson.Str(body, key) is { } text)
                        {
                            found[key] = text;
                        }
                        else if (key == "description")
                        {
                            found.Remove(key);
                        }
                    }

                    var attributes = (JsonObject)(found["attributes"] ??= new JsonObject());
                    foreach (var (key, value) in body["attributes"] as JsonObject ?? [])
                    {
                        attributes[key] = value?.DeepClone();
                    }

                    return SimResponse.NoContent();
                default:
                    return MethodNotAllowed(request);
            }
        }

        return rest is [_, _, "protocol-mappers", "models", ..] ? ClientScopeMappers(request, realm, found, rest) : null;
    }

    private SimResponse? ClientScopeMappers(SimRequest request, SimulatedRealm realm, JsonObject scope, string[] rest)
    {
        var mappers = scope["protocolMappers"] as JsonArray;
        if (rest.Length == 4)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(mappers?.DeepClone() ?? new JsonArray());
                case "POST":
                    var body = request.JsonObjectBody();
                    if (mappers?.OfType<JsonObject>().Any(mapper => SimJson.Str(mapper, "name") == SimJson.Str(body, "name")) == true)
                    {
                        return SimResponse.Conflict("Protocol mapper exists with same name");
                    }

                    var created = NewProtocolMapper(body);
                    ((JsonArray)(scope["protocolMappers"] ??= new JsonArray())).Add(created);
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/client-scopes/" + SimJson.Str(scope, "id")
                        + "/protocol-mappers/models/" + SimJson.Str(created, "id"));
                default:
                    return MethodNotAllowed(request);
            }
        }

        var found = mappers?.OfType<JsonObject>().FirstOrDefault(mapper => SimJson.Str(mapper, "id") == rest[4]);
        if (found is null || rest.Length != 5)
        {
            return found is null ? SimResponse.Error(404, "error", "Model not found") : null;
        }

        switch (request.Method)
        {
            case "GET":
                return SimResponse.Json(found.DeepClone());
            case "PUT":
                var replacement = NewProtocolMapper(request.JsonObjectBody());
                replacement["id"] = SimJson.Str(found, "id");
                mappers![mappers.IndexOf(found)] = replacement;
                return SimResponse.NoContent();
            case "DELETE":
                mappers!.Remove(found);
                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
    }

    /// <summary>ProtocolMapperRepresentation as 26.7.3 stores it: <c>consentRequired</c> false unless sent, config as sent.</summary>
    private static JsonObject NewProtocolMapper(JsonObject body) => new()
    {
        ["id"] = SimulatedRealm.NewId(),
        ["name"] = SimJson.Str(body, "name"),
        ["protocol"] = SimJson.Str(body, "protocol") ?? "openid-connect",
        ["protocolMapper"] = SimJson.Str(body, "protocolMapper"),
        ["consentRequired"] = SimJson.Bool(body, "consentRequired") ?? false,
        ["config"] = body["config"] is JsonObject config ? SimJson.Clone(config) : new JsonObject(),
    };

    /// <summary>
    /// <c>/default-default-client-scopes[/{id}]</c> and <c>/default-optional-client-scopes[/{id}]</c> (RealmAdminResource):
    /// GET lists id, name and protocol of each; PUT adds one (409 when it is a default of the other kind, a no-op when of
    /// this kind); DELETE removes it, whichever kind it is.
    /// </summary>
    private SimResponse? RealmDefaultClientScopes(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        Require(caller, request.Method == "GET" ? "view-realm" : "manage-realm");
        var optional = rest[0] == "default-optional-client-scopes";
        var list = optional ? realm.OptionalClientScopeNames : realm.DefaultClientScopeNames;
        var other = optional ? realm.DefaultClientScopeNames : realm.OptionalClientScopeNames;
        if (rest.Length == 1)
        {
            return request.Method == "GET"
                ? SimResponse.Json(new JsonArray(list
                    .Select(name => realm.ClientScopes.FirstOrDefault(scope => SimJson.Str(scope, "name") == name))
                    .OfType<JsonObject>()
                    .Select(scope => (JsonNode?)new JsonObject
                    {
                        ["id"] = SimJson.Str(scope, "id"), ["name"] = SimJson.Str(scope, "name"), ["protocol"] = SimJson.Str(scope, "protocol"),
                    })
                    .ToArray()))
                : MethodNotAllowed(request);
        }

        var found = realm.ClientScopes.FirstOrDefault(scope => SimJson.Str(scope, "id") == rest[1]);
        if (found is null || rest.Length != 2)
        {
            return found is null ? SimResponse.Error(404, "error", "Client scope not found") : null;
        }

        var name = SimJson.Str(found, "name")!;
        switch (request.Method)
        {
            case "PUT":
                if (other.Contains(name))
                {
                    return SimResponse.Json(new JsonObject { ["error"] = "conflict", ["error_description"] = "Duplicate resource error" }, 409);
                }

                if (!list.Contains(name))
                {
                    list.Add(name);
                }

                return SimResponse.NoContent();
            case "DELETE":
                list.Remove(name);
                other.Remove(name);
                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
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
