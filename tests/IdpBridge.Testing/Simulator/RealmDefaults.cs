using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>What a new Keycloak 26 realm holds, and the defaults Keycloak fills into created objects.</summary>
internal static class RealmDefaults
{
    /// <summary>The roles of every realm's <c>realm-management</c> client (AdminRoles.java, as 26.7.3 lists them).</summary>
    public static readonly string[] RealmManagementRoles = [.. BuiltInRealmContent.RealmManagementRoles];

    /// <summary>Identity provider ids a stock Keycloak 26 knows (IdentityProviderFactory and SocialIdentityProviderFactory).</summary>
    public static readonly HashSet<string> KnownIdentityProviders = new(StringComparer.Ordinal)
    {
        "oidc", "keycloak-oidc", "saml", "oauth2", "google", "github", "gitlab", "facebook", "microsoft", "linkedin-openid-connect",
        "twitter", "stackoverflow", "instagram", "paypal", "openshift-v4", "bitbucket", "spiffe", "kubernetes",
    };

    private static readonly Lazy<string> DefaultUserProfileText = new(() =>
        File.ReadAllText(SharedData.KeycloakFile("user-profile", "keycloak-default-user-profile.json")));

    private static readonly Lazy<JsonObject> NewRealmRepresentation = new(() =>
    {
        using var stream = typeof(RealmDefaults).Assembly.GetManifestResourceStream("IdpBridge.Testing.Simulator.new-realm-26.7.3.json")
            ?? throw new InvalidOperationException("The new-realm representation is not embedded in IdpBridge.Testing.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>
    /// The realm attributes Keycloak derives from the realm's CIBA, OAuth 2.0 device and PAR settings: a PUT whose
    /// <c>attributes</c> leave them out replaces the rest of the set but keeps these (seen on 26.7.3).
    /// </summary>
    public static readonly string[] DerivedRealmAttributes =
    [
        "cibaBackchannelTokenDeliveryMode", "cibaExpiresIn", "cibaAuthRequestedUserHint", "cibaInterval",
        "oauth2DeviceCodeLifespan", "oauth2DevicePollingInterval", "parRequestUriLifespan",
    ];

    /// <summary>
    /// RealmRepresentation fields of a new realm, without <c>id</c> and <c>realm</c>: what Keycloak 26.7.3 answers to
    /// <c>GET /admin/realms/{realm}</c> after <c>POST /admin/realms {"realm","enabled":true}</c>
    /// (<c>new-realm-26.7.3.json</c>), with the realm's own default role. <c>loginTheme</c>, <c>defaultLocale</c>,
    /// <c>displayName</c> and an empty <c>supportedLocales</c> are absent.
    /// </summary>
    public static JsonObject NewRealmSettings(string name, string id)
    {
        var settings = NewRealmRepresentation.Value.DeepClone().AsObject();
        settings["defaultRole"] = new JsonObject
        {
            ["id"] = SimulatedRealm.DeterministicId(id + "/default-roles"),
            ["name"] = "default-roles-" + name.ToLowerInvariant(),
            ["description"] = "${role_default-roles}",
            ["composite"] = true,
            ["clientRole"] = false,
            ["containerId"] = id,
        };
        return settings;
    }

    /// <summary>
    /// The required actions of a new realm on the 26.7.3 server (DefaultRequiredActions.java; the priorities and
    /// UPDATE_EMAIL, registered but disabled, as that server lists them): TERMS_AND_CONDITIONS registered but disabled,
    /// priority 20.
    /// </summary>
    public static List<JsonObject> NewRequiredActions()
    {
        (string Alias, string Name, bool Enabled, int Priority)[] actions =
        [
            ("TERMS_AND_CONDITIONS", "Terms and Conditions", false, 20),
            ("UPDATE_PROFILE", "Update Profile", true, 40),
            ("VERIFY_EMAIL", "Verify Email", true, 50),
            ("CONFIGURE_TOTP", "Configure OTP", true, 54),
            ("UPDATE_PASSWORD", "Update Password", true, 57),
            ("delete_account", "Delete Account", false, 60),
            ("UPDATE_EMAIL", "Update Email", false, 70),
            ("webauthn-register", "Webauthn Register", true, 80),
            ("webauthn-register-passwordless", "Webauthn Register Passwordless", true, 90),
            ("VERIFY_PROFILE", "Verify Profile", true, 100),
            ("delete_credential", "Delete Credential", true, 110),
            ("idp_link", "Linking Identity Provider", true, 120),
            ("CONFIGURE_RECOVERY_AUTHN_CODES", "Recovery Authentication Codes", true, 130),
            ("update_user_locale", "Update User Locale", true, 1000),
        ];
        return actions.Select(a => RequiredAction(a.Alias, a.Name, a.Enabled, false, a.Priority)).ToList();
    }

    /// <summary>Provider ids a stock server can register (a realm lists the registered ones; the rest are unregistered).</summary>
    public static readonly (string ProviderId, string Name)[] KnownRequiredActionProviders =
    [
        ("CONFIGURE_TOTP", "Configure OTP"), ("TERMS_AND_CONDITIONS", "Terms and Conditions"), ("UPDATE_PASSWORD", "Update Password"),
        ("UPDATE_PROFILE", "Update Profile"), ("VERIFY_EMAIL", "Verify Email"), ("delete_account", "Delete Account"),
        ("UPDATE_EMAIL", "Update Email"), ("webauthn-register", "Webauthn Register"),
        ("webauthn-register-passwordless", "Webauthn Register Passwordless"), ("VERIFY_PROFILE", "Verify Profile"),
        ("delete_credential", "Delete Credential"), ("idp_link", "Linking Identity Provider"),
        ("CONFIGURE_RECOVERY_AUTHN_CODES", "Recovery Authentication Codes"), ("update_user_locale", "Update User Locale"),
    ];

    public static JsonObject RequiredAction(string alias, string? name, bool enabled, bool defaultAction, long priority, JsonObject? config = null) => new()
    {
        ["alias"] = alias,
        ["name"] = name,
        ["providerId"] = alias,
        ["enabled"] = enabled,
        ["defaultAction"] = defaultAction,
        ["priority"] = priority,
        ["config"] = config ?? new JsonObject(),
    };

    public static JsonObject DefaultUserProfile() => Normalize((JsonObject)JsonNode.Parse(DefaultUserProfileText.Value)!);

    /// <summary>
    /// The UPConfig as Keycloak serialises it after storing (UPConfig/UPAttribute field order, <c>multivalued</c> a
    /// primitive so always present, nulls omitted), compare upconfig-from-keycloak-24.0.4-export.json.
    /// Fields the simulator does not know are kept after the known ones.
    /// </summary>
    public static JsonObject Normalize(JsonObject config)
    {
        var result = new JsonObject();
        var attributes = new JsonArray();
        if (config["attributes"] is JsonArray source)
        {
            foreach (var attribute in source.OfType<JsonObject>())
            {
                var normalized = new JsonObject();
                foreach (var key in new[] { "name", "displayName", "validations", "annotations", "required", "permissions", "selector", "group" })
                {
                    if (attribute[key] is { } value)
                    {
                        normalized[key] = value.DeepClone();
                    }
                }

                foreach (var (parent, field) in JavaSetOrder.UserProfileAttributeFields)
                {
                    if (normalized[parent] is JsonObject holder && holder[field] is JsonArray)
                    {
                        holder[field] = JavaSetOrder.Reorder(holder[field]);
                    }
                }

                normalized["multivalued"] = SimJson.Bool(attribute, "multivalued") ?? false;
                if (SimJson.Str(attribute, "defaultValue") is { } defaultValue)
                {
                    normalized["defaultValue"] = defaultValue;
                }

                foreach (var (key, value) in attribute)
                {
                    if (!normalized.ContainsKey(key) && value is not null)
                    {
                        normalized[key] = value.DeepClone();
                    }
                }

                attributes.Add(normalized);
            }
        }

        result["attributes"] = attributes;
        result["groups"] = config["groups"]?.DeepClone() ?? new JsonArray();
        if (SimJson.Str(config, "unmanagedAttributePolicy") is { } policy)
        {
            result["unmanagedAttributePolicy"] = policy;
        }

        return result;
    }

    /// <summary>ClientRepresentation with Keycloak's defaults filled in (RepresentationToModel.createClient).</summary>
    public static JsonObject NewClient(JsonObject source, long nowSeconds)
    {
        var clientId = SimJson.Str(source, "clientId") ?? throw new SimHttpException(SimResponse.BadRequest("Client id is required"));
        var rep = new JsonObject
        {
            ["id"] = SimJson.Str(source, "id") ?? SimulatedRealm.NewId(),
            ["clientId"] = clientId,
            ["surrogateAuthRequired"] = false,
            ["enabled"] = true,
            ["alwaysDisplayInConsole"] = false,
            ["clientAuthenticatorType"] = "client-secret",
            ["redirectUris"] = new JsonArray(),
            ["webOrigins"] = new JsonArray(),
            ["notBefore"] = 0,
            ["bearerOnly"] = false,
            ["consentRequired"] = false,
            ["standardFlowEnabled"] = true,
            ["implicitFlowEnabled"] = false,
            ["directAccessGrantsEnabled"] = false,
            ["serviceAccountsEnabled"] = false,
            ["publicClient"] = false,
            ["frontchannelLogout"] = false,
            ["protocol"] = "openid-connect",
            ["attributes"] = new JsonObject(),
            ["authenticationFlowBindingOverrides"] = new JsonObject(),
            ["fullScopeAllowed"] = true,
            ["nodeReRegistrationTimeout"] = -1,
            ["defaultClientScopes"] = new JsonArray("web-origins", "acr", "profile", "roles", "basic", "email"),
            ["optionalClientScopes"] = new JsonArray("address", "phone", "offline_access", "organization", "microprofile-jwt"),
        };
        foreach (var (key, value) in source)
        {
            if (key is not "roles" and not "id" && value is not null)
            {
                rep[key] = value.DeepClone();
            }
        }

        // 26.7.3: a service account brings the service_account scope; every client says whether it is a realm's own;
        // a protocol named in the request brings that protocol's defaults (OIDC: back-channel logout settings).
        if (SimJson.Bool(rep, "serviceAccountsEnabled") == true && source["defaultClientScopes"] is null)
        {
            rep["defaultClientScopes"]!.AsArray().Insert(1, "service_account");
        }

        rep.Remove("access");
        var attributes = (JsonObject)(rep["attributes"] ??= new JsonObject());
        if (!attributes.ContainsKey("realm_client"))
        {
            attributes.Insert(0, "realm_client", "false");
        }

        DeriveWebOrigins(source, rep);

        JavaSetOrder.ReorderIn(rep, JavaSetOrder.ClientFields);
        if (SimJson.Bool(rep, "publicClient") != true && SimJson.Bool(rep, "bearerOnly") != true && SimJson.Str(rep, "secret") is null)
        {
            rep["secret"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            attributes["client.secret.creation.time"] ??= nowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return rep;
    }

    /// <summary>
    /// RepresentationToModel (create, and update in 26.7.3): a body with redirect URIs but no web origins gets the
    /// origins of its http(s) redirect URIs, when there are some.
    /// </summary>
    public static void DeriveWebOrigins(JsonObject body, JsonObject client)
    {
        if (body["webOrigins"] is not null || SimJson.StringList(body["redirectUris"]) is not { } redirects)
        {
            return;
        }

        var origins = redirects.Where(uri => uri.StartsWith("http", StringComparison.Ordinal))
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? $"{parsed.Scheme}://{parsed.Authority}" : null)
            .OfType<string>()
            .ToList();
        if (origins.Count > 0)
        {
            client["webOrigins"] = SimJson.ToArray(JavaSetOrder.Of(origins));
        }
    }

    /// <summary>
    /// What a create adds when its body names a protocol: for <c>openid-connect</c>, the back-channel logout settings
    /// (26.7.3 adds them only then).
    /// </summary>
    public static void AddProtocolDefaults(JsonObject body, JsonObject client)
    {
        if (SimJson.Str(body, "protocol") == "openid-connect" && client["attributes"] is JsonObject attributes)
        {
            attributes["backchannel.logout.session.required"] ??= "true";
            attributes["backchannel.logout.revoke.offline.tokens"] ??= "false";
        }
    }

    public static JsonObject NewClientRole(string name, string clientUuid, string? description, bool composite = false) => new()
    {
        ["id"] = SimulatedRealm.NewId(),
        ["name"] = name,
        ["description"] = description ?? (RealmManagementRoles.Contains(name) ? "${role_" + name + "}" : null),
        ["composite"] = composite,
        ["clientRole"] = true,
        ["containerId"] = clientUuid,
    };

    /// <summary>
    /// IdentityProviderRepresentation as 26.7.3 stores it: its flags are objects there, so one never sent is left out
    /// (not false), and so is a first-login flow never named; <c>types</c> comes from the provider; Google gets its
    /// issuer. <c>updateProfileFirstLoginMode</c> is gone from 26.
    /// </summary>
    public static JsonObject NewIdentityProvider(JsonObject source)
    {
        var providerId = SimJson.Str(source, "providerId");
        var rep = new JsonObject
        {
            ["alias"] = SimJson.Str(source, "alias"),
            ["displayName"] = SimJson.Str(source, "displayName"),
            ["internalId"] = SimJson.Str(source, "internalId") ?? SimulatedRealm.NewId(),
            ["providerId"] = providerId,
            ["enabled"] = SimJson.Bool(source, "enabled") ?? true,
        };
        foreach (var (key, value) in source)
        {
            if (!rep.ContainsKey(key) && value is not null && key is not ("types" or "updateProfileFirstLoginMode" or "config"))
            {
                rep[key] = value.DeepClone();
            }
        }

        var config = source["config"] is JsonObject given ? given.DeepClone().AsObject() : new JsonObject();
        if (providerId == "google")
        {
            config["issuer"] ??= "https://accounts.google.com";
        }

        rep["config"] = config;
        rep["types"] = providerId switch
        {
            "oidc" or "keycloak-oidc" => new JsonArray("USER_AUTHENTICATION", "CLIENT_ASSERTION", "TRUST_MATERIAL", "EXCHANGE_EXTERNAL_TOKEN", "JWT_AUTHORIZATION_GRANT"),
            "saml" => new JsonArray("USER_AUTHENTICATION"),
            _ => new JsonArray(),
        };
        return rep;
    }
}
