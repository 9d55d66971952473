using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    /// <summary>
    /// <c>/roles[/{name}]</c> (RoleContainerResource): GET lists the realm roles (brief unless
    /// <c>briefRepresentation=false</c>: no attributes); POST creates one (409 on a taken name; 26.7.3 answers 201 with
    /// <c>.../roles/{name}</c>); PUT <c>/roles/{name}</c> sets the name and description as sent (absent clears it) and
    /// the attributes when sent.
    /// </summary>
    private SimResponse? RealmRolesRoute(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        Require(caller, request.Method == "GET" ? "view-realm" : "manage-realm");
        if (rest.Length == 1)
        {
            switch (request.Method)
            {
                case "GET":
                    var brief = request.QBool("briefRepresentation") != false;
                    return SimResponse.Json(new JsonArray(realm.RealmRoles.Select(role => (JsonNode?)RoleOut(role, brief)).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    var name = SimJson.Str(body, "name") ?? throw new SimHttpException(SimResponse.BadRequest("Role name is required"));
                    if (realm.RealmRoles.Any(role => SimJson.Str(role, "name") == name))
                    {
                        return SimResponse.Conflict("Role with name " + name + " already exists");
                    }

                    realm.RealmRoles.Add(realm.NewRealmRoleUnlocked(
                        name, SimJson.Str(body, "description"), body["attributes"] as JsonObject is { } attributes ? SimJson.Clone(attributes) : new JsonObject()));
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/roles/" + Uri.EscapeDataString(name));
                default:
                    return MethodNotAllowed(request);
            }
        }

        var found = realm.RealmRoles.FirstOrDefault(role => SimJson.Str(role, "name") == rest[1]);
        if (found is null || rest.Length != 2)
        {
            return found is null ? SimResponse.Error(404, "error", "Could not find role") : null;
        }

        switch (request.Method)
        {
            case "GET":
                return SimResponse.Json(RoleOut(found, brief: false));
            case "PUT":
                var body = request.JsonObjectBody();
                found["name"] = SimJson.Str(body, "name") ?? SimJson.Str(found, "name");
                found["description"] = SimJson.Str(body, "description");
                if (body["attributes"] is JsonObject attributes)
                {
                    found["attributes"] = SimJson.Clone(attributes);
                }

                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
    }

    /// <summary>
    /// <c>/groups[/{id}[/role-mappings/realm]]</c> (GroupsResource, GroupResource, RoleMapperResource), top-level groups
    /// only: GET lists them (paged by <c>first</c>/<c>max</c>, default 100; attributes and role names only with
    /// <c>briefRepresentation=false</c>); POST creates one (its <c>realmRoles</c> are ignored, as the server does); PUT sets
    /// the name and, when sent, the attributes; the role mappings take arrays of roles, each found by id.
    /// </summary>
    private SimResponse? GroupsRoute(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        Require(caller, request.Method == "GET" ? "view-users" : "manage-users");
        if (rest.Length == 1)
        {
            switch (request.Method)
            {
                case "GET":
                    var brief = request.QBool("briefRepresentation") != false;
                    var page = realm.Groups.OrderBy(group => SimJson.Str(group, "name"), StringComparer.Ordinal)
                        .Skip(request.QInt("first") ?? 0).Take(request.QInt("max") ?? 100);
                    return SimResponse.Json(new JsonArray(page.Select(group => (JsonNode?)GroupOut(group, brief)).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    var name = SimJson.Str(body, "name") ?? throw new SimHttpException(SimResponse.BadRequest("Group name is missing"));
                    if (realm.Groups.Any(group => SimJson.Str(group, "name") == name))
                    {
                        return SimResponse.Conflict("Top level group named '" + name + "' already exists.");
                    }

                    var id = SimulatedRealm.NewId();
                    realm.Groups.Add(new JsonObject
                    {
                        ["id"] = id,
                        ["name"] = name,
                        ["description"] = SimJson.Str(body, "description"),
                        ["attributes"] = body["attributes"] is JsonObject attributes ? SimJson.Clone(attributes) : new JsonObject(),
                        ["realmRoles"] = new JsonArray(),
                    });
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/groups/" + id);
                default:
                    return MethodNotAllowed(request);
            }
        }

        var found = realm.Groups.FirstOrDefault(group => SimJson.Str(group, "id") == rest[1]);
        if (found is null)
        {
            return SimResponse.Error(404, "error", "Could not find group by id");
        }

        if (rest.Length == 2)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(GroupOut(found, brief: false));
                case "PUT":
                    var body = request.JsonObjectBody();
                    found["name"] = SimJson.Str(body, "name") ?? SimJson.Str(found, "name");
                    if (body["attributes"] is JsonObject attributes)
                    {
                        found["attributes"] = SimJson.Clone(attributes);
                    }

                    if (body.ContainsKey("description"))
                    {
                        found["description"] = SimJson.Str(body, "description");
                    }

                    return SimResponse.NoContent();
                default:
                    return MethodNotAllowed(request);
            }
        }

        return rest is [_, _, "role-mappings", "realm"] ? GroupRealmRoleMappings(request, realm, found) : null;
    }

    private SimResponse GroupRealmRoleMappings(SimRequest request, SimulatedRealm realm, JsonObject group)
    {
        var held = SimJson.StringList(group["realmRoles"]) ?? [];
        if (request.Method == "GET")
        {
            return SimResponse.Json(new JsonArray(realm.RealmRoles.Where(role => held.Contains(SimJson.Str(role, "name")!))
                .Select(role => (JsonNode?)RoleOut(role, brief: true)).ToArray()));
        }

        if (request.Method is not ("POST" or "DELETE"))
        {
            return MethodNotAllowed(request);
        }

        var names = new List<string>();
        foreach (var item in (request.JsonBody() as JsonArray ?? []).OfType<JsonObject>())
        {
            // RoleMapperResource: each role is looked up by its id.
            var role = realm.RealmRoles.FirstOrDefault(candidate => SimJson.Str(candidate, "id") == SimJson.Str(item, "id"));
            if (role is null)
            {
                return SimResponse.Error(404, "error", "Could not find role");
            }

            names.Add(SimJson.Str(role, "name")!);
        }

        group["realmRoles"] = SimJson.ToArray(request.Method == "POST" ? held.Union(names) : held.Except(names));
        return SimResponse.NoContent();
    }

    private static JsonObject RoleOut(JsonObject role, bool brief)
    {
        var copy = SimJson.Clone(role);
        if (SimJson.Str(copy, "description") is null)
        {
            copy.Remove("description");
        }

        if (brief)
        {
            copy.Remove("attributes");
        }

        return copy;
    }

    private static JsonObject GroupOut(JsonObject group, bool brief)
    {
        var copy = new JsonObject
        {
            ["id"] = SimJson.Str(group, "id"),
            ["name"] = SimJson.Str(group, "name"),
        };
        if (SimJson.Str(group, "description") is { } description)
        {
            copy["description"] = description;
        }

        copy["path"] = "/" + SimJson.Str(group, "name");
        copy["subGroupCount"] = 0;
        copy["subGroups"] = new JsonArray();
        if (!brief)
        {
            copy["attributes"] = group["attributes"]?.DeepClone() ?? new JsonObject();
            copy["realmRoles"] = group["realmRoles"]?.DeepClone() ?? new JsonArray();
            copy["clientRoles"] = new JsonObject();
        }

        copy["access"] = new JsonObject { ["view"] = true, ["viewMembers"] = true, ["manageMembers"] = true, ["manage"] = true, ["manageMembership"] = true };
        return copy;
    }
}
