using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    /// <summary>ComponentRepresentation.SECRET_VALUE, what GET shows instead of a client secret.</summary>
    internal const string SecretMask = "**********";

    private SimResponse? IdentityProviders(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (rest.Length < 2 || rest[1] != "instances")
        {
            return null;
        }

        Require(caller, request.Method == "GET" ? "view-identity-providers" : "manage-identity-providers");
        var idps = realm.IdentityProviders;
        if (rest.Length == 2)
        {
            switch (request.Method)
            {
                case "GET":
                    // IdentityProvidersResource.getIdentityProviders: by alias; brief items on request only.
                    var brief = request.QBool("briefRepresentation") == true;
                    return SimResponse.Json(new JsonArray(idps.OrderBy(i => SimJson.Str(i, "alias"), StringComparer.Ordinal)
                        .Select(i => (JsonNode?)(brief ? Brief(i) : Masked(i))).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    var providerId = SimJson.Str(body, "providerId");
                    if (providerId is null || !RealmDefaults.KnownIdentityProviders.Contains(providerId))
                    {
                        // RepresentationToModel.toModel: IllegalArgumentException → 400 with its message.
                        return SimResponse.BadRequest("Invalid identity provider id [" + (providerId ?? "null") + "]");
                    }

                    var alias = SimJson.Str(body, "alias");
                    if (string.IsNullOrEmpty(alias))
                    {
                        return SimResponse.BadRequest("Identity Provider alias is required");
                    }

                    if (idps.Any(i => SimJson.Str(i, "alias") == alias))
                    {
                        return SimResponse.Conflict("Identity Provider " + alias + " already exists");
                    }

                    idps.Add(RealmDefaults.NewIdentityProvider(body));
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/identity-provider/instances/" + Uri.EscapeDataString(alias));
                default:
                    return MethodNotAllowed(request);
            }
        }

        var existing = idps.FirstOrDefault(i => SimJson.Str(i, "alias") == rest[2]);
        if (existing is null)
        {
            return SimResponse.NotFound();
        }

        if (rest.Length == 3)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(Masked(existing));
                case "PUT":
                    var body = request.JsonObjectBody();
                    var oldAlias = SimJson.Str(existing, "alias")!;
                    var newAlias = SimJson.Str(body, "alias") ?? oldAlias;
                    if (newAlias != oldAlias && idps.Any(i => SimJson.Str(i, "alias") == newAlias))
                    {
                        return SimResponse.Conflict("Identity Provider " + newAlias + " already exists");
                    }

                    var updated = RealmDefaults.NewIdentityProvider(body);
                    updated["alias"] = newAlias;
                    updated["internalId"] = SimJson.Str(existing, "internalId");
                    updated["providerId"] = SimJson.Str(existing, "providerId");
                    if (updated["config"] is JsonObject config && SimJson.Str(config, "clientSecret") == SecretMask)
                    {
                        config["clientSecret"] = existing["config"] is JsonObject old ? old["clientSecret"]?.DeepClone() : null;
                    }

                    idps[idps.IndexOf(existing)] = updated;
                    if (newAlias != oldAlias)
                    {
                        DropLinks(realm, oldAlias);
                        foreach (var mapper in realm.IdentityProviderMappers.Where(m => SimJson.Str(m, "identityProviderAlias") == oldAlias))
                        {
                            mapper["identityProviderAlias"] = newAlias;
                        }
                    }

                    return SimResponse.NoContent();
                case "DELETE":
                    idps.Remove(existing);
                    realm.IdentityProviderMappers.RemoveAll(m => SimJson.Str(m, "identityProviderAlias") == rest[2]);
                    DropLinks(realm, rest[2]);
                    return SimResponse.NoContent();
                default:
                    return MethodNotAllowed(request);
            }
        }

        if (rest[3] != "mappers")
        {
            return null;
        }

        var mappers = realm.IdentityProviderMappers;
        if (rest.Length == 4)
        {
            switch (request.Method)
            {
                case "GET":
                    return SimResponse.Json(new JsonArray(mappers.Where(m => SimJson.Str(m, "identityProviderAlias") == rest[2])
                        .Select(m => (JsonNode?)m.DeepClone()).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    var name = SimJson.Str(body, "name");
                    if (mappers.Any(m => SimJson.Str(m, "identityProviderAlias") == rest[2] && SimJson.Str(m, "name") == name))
                    {
                        return SimResponse.Conflict("IDP mapper exists with same name");
                    }

                    var mapper = MapperFrom(body, SimulatedRealm.NewId(), rest[2]);
                    mappers.Add(mapper);
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/identity-provider/instances/"
                        + Uri.EscapeDataString(rest[2]) + "/mappers/" + SimJson.Str(mapper, "id"));
                default:
                    return MethodNotAllowed(request);
            }
        }

        var found = mappers.FirstOrDefault(m => SimJson.Str(m, "id") == rest[4] && SimJson.Str(m, "identityProviderAlias") == rest[2]);
        if (found is null || rest.Length != 5)
        {
            return found is null ? SimResponse.Error(404, "error", "Model not found") : null;
        }

        switch (request.Method)
        {
            case "GET":
                return SimResponse.Json(SimJson.Clone(found));
            case "PUT":
                var update = request.JsonObjectBody();
                if (SimJson.Str(update, "id") is null)
                {
                    // 26.7.3 fails to update a mapper whose body has no id: a 500, nothing changed.
                    return SimResponse.Json(new JsonObject
                    {
                        ["error"] = "unknown_error", ["error_description"] = "For more on this error consult the server log.",
                    }, 500);
                }

                mappers[mappers.IndexOf(found)] = MapperFrom(update, rest[4], rest[2]);
                return SimResponse.NoContent();
            case "DELETE":
                mappers.Remove(found);
                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
    }

    private static JsonObject MapperFrom(JsonObject body, string id, string alias) => new()
    {
        ["id"] = id,
        ["name"] = SimJson.Str(body, "name"),
        ["identityProviderAlias"] = alias,
        ["identityProviderMapper"] = SimJson.Str(body, "identityProviderMapper"),
        ["config"] = body["config"] is JsonObject config ? config.DeepClone() : new JsonObject(),
    };

    /// <summary>
    /// A client as the admin API answers it: with what the (admin) caller may do with it; the realm's own
    /// <c>realm-management</c> client cannot be configured or managed.
    /// </summary>
    private static JsonObject ClientOut(JsonObject client)
    {
        var copy = SimJson.Clone(client);
        var editable = SimJson.Str(client, "clientId") != "realm-management";
        copy["access"] = new JsonObject { ["view"] = true, ["configure"] = editable, ["manage"] = editable };
        return copy;
    }

    /// <summary>
    /// <c>GET /clients/{id}/service-account-user</c> (ClientResource.getServiceAccountUser, 26.7.3): the user without
    /// <c>access</c> and without <c>serviceAccountClientId</c>.
    /// </summary>
    private static JsonNode ServiceAccountUser(JsonNode user)
    {
        if (user is JsonObject representation)
        {
            representation.Remove("access");
            representation.Remove("serviceAccountClientId");
        }

        return user;
    }

    private static JsonObject Brief(JsonObject idp) => new()
    {
        ["alias"] = SimJson.Str(idp, "alias"),
        ["displayName"] = SimJson.Str(idp, "displayName"),
        ["internalId"] = SimJson.Str(idp, "internalId"),
        ["providerId"] = SimJson.Str(idp, "providerId"),
        ["enabled"] = SimJson.Bool(idp, "enabled"),
        ["config"] = new JsonObject(),
    };

    private static JsonObject Masked(JsonObject idp)
    {
        var copy = SimJson.Clone(idp);
        if (copy["config"] is JsonObject config && SimJson.Str(config, "clientSecret") is { } secret && !secret.StartsWith("${vault.", StringComparison.Ordinal))
        {
            config["clientSecret"] = SecretMask;
        }

        return copy;
    }

    private static void DropLinks(SimulatedRealm realm, string alias)
    {
        foreach (var user in realm.SortedUsers)
        {
            if (user.FederatedIdentities.Count > 0)
            {
                user.FederatedIdentities.RemoveAll(f => SimJson.Str(f, "identityProvider") == alias);
            }
        }
    }

    // ---------------------------------------------------------------- clients

    private SimResponse? Clients(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        Require(caller, request.Method == "GET" ? "view-clients" : "manage-clients");
        if (rest.Length == 1)
        {
            switch (request.Method)
            {
                case "GET":
                    var clientId = request.Q("clientId");
                    var search = request.QBool("search") == true;
                    var list = realm.Clients.Where(c => clientId is null
                        || (search ? (SimJson.Str(c, "clientId") ?? "").Contains(clientId, StringComparison.OrdinalIgnoreCase) : SimJson.Str(c, "clientId") == clientId));
                    return SimResponse.Json(new JsonArray(list.Select(c => (JsonNode?)ClientOut(c)).ToArray()));
                case "POST":
                    var body = request.JsonObjectBody();
                    if (SimJson.Str(body, "clientId") is { } newClientId && realm.ClientByClientIdUnlocked(newClientId) is not null)
                    {
                        return SimResponse.Conflict("Client " + newClientId + " already exists");
                    }

                    var uuid = realm.AddClientUnlocked(body);
                    RealmDefaults.AddProtocolDefaults(body, realm.ClientByUuidUnlocked(uuid)!);
                    realm.LinkRealmDefaultScopesUnlocked(body, realm.ClientByUuidUnlocked(uuid)!);
                    return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/clients/" + uuid);
                default:
                    return MethodNotAllowed(request);
            }
        }

        var client = realm.ClientByUuidUnlocked(rest[1]);
        if (client is null)
        {
            return SimResponse.Error(404, "error", "Could not find client");
        }

        var clientIdOf = SimJson.Str(client, "clientId")!;
        switch (rest.Length)
        {
            case 2:
                switch (request.Method)
                {
                    case "GET":
                        return SimResponse.Json(ClientOut(client));
                    case "PUT":
                        // ClientResource.update / RepresentationToModel.updateClient: present fields only; the client
                        // scopes are not touched (they have endpoints of their own).
                        var body = request.JsonObjectBody();
                        foreach (var (key, value) in body)
                        {
                            if (key is not ("id" or "defaultClientScopes" or "optionalClientScopes" or "access") && value is not null)
                            {
                                client[key] = value.DeepClone();
                            }
                        }

                        RealmDefaults.DeriveWebOrigins(body, client);
                        JavaSetOrder.ReorderIn(client, ["redirectUris", "webOrigins"]);

                        if (SimJson.Bool(client, "serviceAccountsEnabled") == true && realm.ServiceAccountUnlocked(SimJson.Str(client, "clientId")!) is null)
                        {
                            realm.InsertUnlocked(new UserRecord
                            {
                                Id = SimulatedRealm.NewId(),
                                Username = ("service-account-" + SimJson.Str(client, "clientId")).ToLowerInvariant(),
                                ServiceAccountClientId = SimJson.Str(client, "clientId"),
                                CreatedTimestamp = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                            });
                        }

                        return SimResponse.NoContent();
                    case "DELETE":
                        realm.Clients.Remove(client);
                        realm.ClientRoles.Remove(rest[1]);
                        if (realm.ServiceAccountUnlocked(clientIdOf) is { } account)
                        {
                            realm.RemoveUnlocked(account);
                        }

                        return SimResponse.NoContent();
                    default:
                        return MethodNotAllowed(request);
                }

            case 3 when rest[2] == "service-account-user" && request.Method == "GET":
                var serviceAccount = realm.ServiceAccountUnlocked(clientIdOf);
                return serviceAccount is null
                    ? SimResponse.BadRequest("Service account not enabled for the client '" + clientIdOf + "'")
                    : SimResponse.Json(ServiceAccountUser(UserRepresentation(realm, serviceAccount, brief: false, caller)));
            case 3 or 4 when rest[2] is "default-client-scopes" or "optional-client-scopes":
                return ClientScopeLinks(request, realm, client, rest);
            case 3 when rest[2] == "client-secret" && request.Method == "GET":
                return SimResponse.Json(new JsonObject { ["type"] = "secret", ["value"] = SimJson.Str(client, "secret") });
            case 3 when rest[2] == "roles":
                var roles = realm.ClientRoles.TryGetValue(rest[1], out var held) ? held : realm.ClientRoles[rest[1]] = [];
                switch (request.Method)
                {
                    case "GET":
                        return SimResponse.Json(new JsonArray(roles.Select(r => (JsonNode?)r.DeepClone()).ToArray()));
                    case "POST":
                        var role = request.JsonObjectBody();
                        var name = SimJson.Str(role, "name");
                        if (string.IsNullOrEmpty(name))
                        {
                            return SimResponse.BadRequest("Role name is missing");
                        }

                        if (roles.Any(r => SimJson.Str(r, "name") == name))
                        {
                            return SimResponse.Conflict("Role with name " + name + " already exists");
                        }

                        roles.Add(RealmDefaults.NewClientRole(name, rest[1], SimJson.Str(role, "description")));
                        return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/clients/" + rest[1] + "/roles/" + Uri.EscapeDataString(name));
                    default:
                        return MethodNotAllowed(request);
                }

            default:
                return null;
        }
    }
}
