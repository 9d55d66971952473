using System.Text;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>Who calls the Admin API, from the bearer token.</summary>
internal sealed record Caller(IssuedToken Token, bool IsMasterAdmin, IReadOnlySet<string> ManagementRoles)
{
    /// <summary>realm-admin implies every role, manage-X implies view-X (AdminPermissions).</summary>
    public bool Has(string role)
    {
        if (IsMasterAdmin || ManagementRoles.Contains("realm-admin") || ManagementRoles.Contains(role))
        {
            return true;
        }

        return role.StartsWith("view-", StringComparison.Ordinal) && ManagementRoles.Contains("manage-" + role["view-".Length..]);
    }
}

public sealed partial class KeycloakSimulator
{
    private SimResponse? Route(SimRequest request)
    {
        var s = request.Segments;
        if (s.Count >= 2 && s[0] == "realms")
        {
            return RouteRealmPublic(request, s[1], s.Skip(2).ToArray());
        }

        if (s.Count == 2 && s[0] == "admin" && s[1] == "serverinfo" && request.Method == "GET")
        {
            return ServerInfo(request);
        }

        if (s.Count >= 2 && s[0] == "admin" && s[1] == "realms")
        {
            var token = Authenticate(request);
            if (token is null)
            {
                return SimResponse.Error(401, "error", "HTTP 401 Unauthorized");
            }

            if (s.Count == 2)
            {
                return request.Method switch
                {
                    "GET" => ListRealms(token),
                    "POST" => CreateRealmFromRequest(request, token),
                    _ => MethodNotAllowed(request),
                };
            }

            if (!realms.TryGetValue(s[2], out var realm))
            {
                return SimResponse.Error(404, "error", "Realm not found.");
            }

            var caller = Authorize(token, realm);
            if (caller is null)
            {
                return SimResponse.Error(401, "error", "HTTP 401 Unauthorized");
            }

            var rest = s.Skip(3).ToArray();
            lock (realm.Sync)
            {
                return RouteRealmAdmin(request, realm, caller, rest);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>GET /admin/serverinfo</c>: 26.7.3 shows <c>systemInfo</c> (the version) to an admin of master or to a client
    /// holding <c>view-realm</c> of its own realm, and leaves it out for other admin clients (seen: view-users alone).
    /// </summary>
    private SimResponse ServerInfo(SimRequest request)
    {
        if (Authenticate(request) is not { } token)
        {
            return SimResponse.Error(401, "error", "HTTP 401 Unauthorized");
        }

        var caller = realms.TryGetValue(token.Realm, out var own) ? Authorize(token, own) : null;
        var info = new JsonObject { ["profileInfo"] = new JsonObject { ["name"] = "default" } };
        if (caller is not null && (caller.IsMasterAdmin || caller.Has("view-realm")))
        {
            info["systemInfo"] = new JsonObject { ["version"] = Options.KeycloakVersion };
        }

        return SimResponse.Json(info);
    }

    private SimResponse MethodNotAllowed(SimRequest request)
    {
        AddViolation($"{request.Method} {request.RawPath}: method not allowed");
        return SimResponse.Error(405, "error", "HTTP 405 Method Not Allowed");
    }

    private SimResponse? RouteRealmPublic(SimRequest request, string realmName, string[] rest)
    {
        if (!realms.TryGetValue(realmName, out var realm))
        {
            return SimResponse.Error(404, "error", "Realm does not exist");
        }

        var path = string.Join('/', rest);
        return (request.Method, path) switch
        {
            ("POST", "protocol/openid-connect/token") => TokenEndpoint(request, realm),
            ("GET", ".well-known/openid-configuration") => SimResponse.Json(Discovery(realm)),
            ("GET", "protocol/openid-connect/certs") => SimResponse.Json(tokens.Jwks()),
            _ => null,
        };
    }

    private string Issuer(SimulatedRealm realm) => Url + "/realms/" + Uri.EscapeDataString(realm.Name);

    private JsonObject Discovery(SimulatedRealm realm)
    {
        var issuer = Issuer(realm);
        var oidc = issuer + "/protocol/openid-connect";
        return new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = oidc + "/auth",
            ["token_endpoint"] = oidc + "/token",
            ["introspection_endpoint"] = oidc + "/token/introspect",
            ["userinfo_endpoint"] = oidc + "/userinfo",
            ["end_session_endpoint"] = oidc + "/logout",
            ["jwks_uri"] = oidc + "/certs",
            ["grant_types_supported"] = new JsonArray("authorization_code", "implicit", "refresh_token", "password", "client_credentials"),
            ["response_types_supported"] = new JsonArray("code", "none", "id_token", "token", "id_token token", "code id_token", "code token", "code id_token token"),
            ["subject_types_supported"] = new JsonArray("public", "pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "roles", "web-origins", "acr", "basic", "offline_access"),
            ["claims_supported"] = new JsonArray("aud", "sub", "iss", "auth_time", "name", "given_name", "family_name", "preferred_username", "email", "acr"),
        };
    }

    private SimResponse TokenEndpoint(SimRequest request, SimulatedRealm realm)
    {
        var form = ParseQuery(request.Body ?? "");
        string? Field(string name) => form.FirstOrDefault(p => p.Key == name).Value;
        var clientId = Field("client_id");
        var secret = Field("client_secret");
        if (request.Authorization is { } auth && auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    clientId = Uri.UnescapeDataString(decoded[..colon]);
                    secret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
                return TokenError(401, "invalid_client", "Invalid client or Invalid client credentials");
            }
        }

        var grantType = Field("grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return TokenError(400, "invalid_request", "Missing form parameter: grant_type");
        }

        lock (realm.Sync)
        {
            var client = clientId is null ? null : realm.ClientByClientIdUnlocked(clientId);
            if (client is null)
            {
                return TokenError(401, "invalid_client", "Invalid client or Invalid client credentials");
            }

            if (SimJson.Bool(client, "publicClient") != true && SimJson.Str(client, "secret") != secret)
            {
                return TokenError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
            }

            if (grantType != "client_credentials")
            {
                return TokenError(400, "unsupported_grant_type", "Unsupported grant_type");
            }

            var account = realm.ServiceAccountUnlocked(clientId!);
            if (SimJson.Bool(client, "serviceAccountsEnabled") != true || account is null)
            {
                return TokenError(401, "unauthorized_client", "Client not enabled to retrieve service account");
            }

            var lifetime = (int)(SimJson.Long(realm.Settings, "accessTokenLifespan") ?? 300);
            var resourceAccess = new JsonObject();
            foreach (var (clientUuid, roles) in account.ClientRoles)
            {
                if (realm.ClientByUuidUnlocked(clientUuid) is { } roleClient && roles.Count > 0)
                {
                    resourceAccess[SimJson.Str(roleClient, "clientId")!] = new JsonObject { ["roles"] = SimJson.ToArray(roles) };
                }
            }

            var realmRoles = account.RealmRoles.Concat(["offline_access", "uma_authorization", "default-roles-" + realm.Name]).Distinct().ToArray();
            var payload = new JsonObject
            {
                ["iss"] = Issuer(realm),
                ["aud"] = resourceAccess.Count > 0 ? new JsonArray(resourceAccess.Select(p => (JsonNode?)p.Key).Append("account").ToArray()) : "account",
                ["sub"] = account.Id,
                ["typ"] = "Bearer",
                ["azp"] = clientId,
                ["acr"] = "1",
                ["realm_access"] = new JsonObject { ["roles"] = SimJson.ToArray(realmRoles) },
                ["resource_access"] = resourceAccess,
                ["scope"] = "profile email",
                ["clientHost"] = "127.0.0.1",
                ["email_verified"] = false,
                ["preferred_username"] = account.Username,
                ["clientAddress"] = "127.0.0.1",
                ["client_id"] = clientId,
            };
            var token = tokens.Issue(realm.Name, payload, TimeSpan.FromSeconds(lifetime));
            return SimResponse.Json(new JsonObject
            {
                ["access_token"] = token,
                ["expires_in"] = lifetime,
                ["refresh_expires_in"] = 0,
                ["token_type"] = "Bearer",
                ["not-before-policy"] = 0,
                ["scope"] = "profile email",
            });
        }
    }

    private static SimResponse TokenError(int status, string error, string description) =>
        SimResponse.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, status);

    private IssuedToken? Authenticate(SimRequest request)
    {
        var header = request.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return tokens.Validate(header["Bearer ".Length..].Trim());
    }

    /// <summary>Tokens of master (role <c>admin</c>) reach every realm; a realm's own tokens reach that realm only.</summary>
    private static Caller? Authorize(IssuedToken token, SimulatedRealm realm)
    {
        if (token.Realm == AdminRealm)
        {
            return new Caller(token, token.RealmRoles.Contains("admin"), new HashSet<string>(StringComparer.Ordinal));
        }

        if (token.Realm != realm.Name)
        {
            return null;
        }

        var roles = token.ResourceRoles.TryGetValue("realm-management", out var held) ? held : [];
        return new Caller(token, false, roles.ToHashSet(StringComparer.Ordinal));
    }

    private static void Require(Caller caller, string role)
    {
        if (!caller.Has(role))
        {
            throw new SimHttpException(SimResponse.Forbidden());
        }
    }

    private SimResponse ListRealms(IssuedToken token)
    {
        var reps = new JsonArray();
        foreach (var name in RealmNames)
        {
            var realm = realms[name];
            if (Authorize(token, realm) is { } caller && (caller.IsMasterAdmin || caller.ManagementRoles.Count > 0))
            {
                reps.Add(realm.GetRepresentation());
            }
        }

        return SimResponse.Json(reps);
    }

    private SimResponse CreateRealmFromRequest(SimRequest request, IssuedToken token)
    {
        if (token.Realm != AdminRealm || !(token.RealmRoles.Contains("admin") || token.RealmRoles.Contains("create-realm")))
        {
            return SimResponse.Forbidden();
        }

        var body = request.JsonObjectBody();
        var name = SimJson.Str(body, "realm");
        if (string.IsNullOrEmpty(name))
        {
            return SimResponse.BadRequest("Realm name cannot be empty");
        }

        if (HasRealm(name))
        {
            // RealmsAdminResource.importRealm: ModelDuplicateException → ErrorResponse.exists (26.7.3's message).
            return SimResponse.Conflict("Realm " + name + " already exists");
        }

        SimulatorSeeding.ImportRealm(this, body);
        return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(name));
    }

    private SimResponse? RouteRealmAdmin(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (rest.Length == 0)
        {
            return RealmRoot(request, realm, caller);
        }

        return rest[0] switch
        {
            "users" => Users(request, realm, caller, rest),
            "authentication" => Authentication(request, realm, caller, rest),
            "identity-provider" => IdentityProviders(request, realm, caller, rest),
            "clients" => Clients(request, realm, caller, rest),
            "client-scopes" => ClientScopes(request, realm, caller, rest),
            "default-default-client-scopes" or "default-optional-client-scopes" => RealmDefaultClientScopes(request, realm, caller, rest),
            "roles" => RealmRolesRoute(request, realm, caller, rest),
            "groups" => GroupsRoute(request, realm, caller, rest),
            "localization" => Localization(request, realm, caller, rest),
            "events" => Events(request, realm, caller, rest),
            _ => null,
        };
    }
}
