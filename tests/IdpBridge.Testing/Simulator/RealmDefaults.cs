using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>What a new Keycloak 26 realm holds, and the defaults Keycloak fills into created objects.</summary>
internal static class RealmDefaults
{
    /// <summary>The roles of every realm's <c>realm-management</c> client (AdminRoles.java).</summary>
    public static readonly string[] RealmManagementRoles =
    [
        "realm-admin", "create-client", "impersonation", "manage-authorization", "manage-clients", "manage-events",
        "manage-identity-providers", "manage-realm", "manage-users", "query-clients", "query-groups", "query-realms",
        "query-users", "view-authorization", "view-clients", "view-events", "view-identity-providers", "view-realm", "view-users",
    ];

    /// <summary>Identity provider ids a stock Keycloak 26 knows (IdentityProviderFactory and SocialIdentityProviderFactory).</summary>
    public static readonly HashSet<string> KnownIdentityProviders = new(StringComparer.Ordinal)
    {
        "oidc", "keycloak-oidc", "saml", "oauth2", "google", "github", "gitlab", "facebook", "microsoft", "linkedin-openid-connect",
        "twitter", "stackoverflow", "instagram", "paypal", "openshift-v4", "bitbucket", "spiffe", "kubernetes",
    };

    private static readonly Lazy<string> DefaultUserProfileText = new(() =>
        File.ReadAllText(SharedData.KeycloakFile("user-profile", "keycloak-default-user-profile.json")));

    /// <summary>
    /// RealmRepresentation fields of a new realm (RealmManager.setupRealmDefaults, RealmRepresentation defaults),
    /// without <c>id</c> and <c>realm</c>. <c>loginTheme</c>, <c>defaultLocale</c>, <c>displayName</c> are absent until set.
    /// </summary>
    public static JsonObject NewRealmSettings() => new()
    {
        ["notBefore"] = 0,
        ["defaultSignatureAlgorithm"] = "RS256",
        ["revokeRefreshToken"] = false,
        ["refreshTokenMaxReuse"] = 0,
        ["accessTokenLifespan"] = 300,
        ["accessTokenLifespanForImplicitFlow"] = 900,
        ["ssoSessionIdleTimeout"] = 1800,
        ["ssoSessionMaxLifespan"] = 36000,
        ["offlineSessionIdleTimeout"] = 2592000,
        ["offlineSessionMaxLifespanEnabled"] = false,
        ["offlineSessionMaxLifespan"] = 5184000,
        ["accessCodeLifespan"] = 60,
        ["accessCodeLifespanUserAction"] = 300,
        ["accessCodeLifespanLogin"] = 1800,
        ["actionTokenGeneratedByAdminLifespan"] = 43200,
        ["actionTokenGeneratedByUserLifespan"] = 300,
        ["enabled"] = true,
        ["sslRequired"] = "external",
        ["registrationAllowed"] = false,
        ["registrationEmailAsUsername"] = false,
        ["rememberMe"] = false,
        ["verifyEmail"] = false,
        ["loginWithEmailAllowed"] = true,
        ["duplicateEmailsAllowed"] = false,
        ["resetPasswordAllowed"] = false,
        ["editUsernameAllowed"] = false,
        ["bruteForceProtected"] = false,
        ["permanentLockout"] = false,
        ["maxTemporaryLockouts"] = 0,
        ["bruteForceStrategy"] = "MULTIPLE",
        ["maxFailureWaitSeconds"] = 900,
        ["minimumQuickLoginWaitSeconds"] = 60,
        ["waitIncrementSeconds"] = 60,
        ["quickLoginCheckMilliSeconds"] = 1000,
        ["maxDeltaTimeSeconds"] = 43200,
        ["failureFactor"] = 30,
        ["defaultRole"] = null,
        ["requiredCredentials"] = new JsonArray("password"),
        ["otpPolicyType"] = "totp",
        ["otpPolicyAlgorithm"] = "HmacSHA1",
        ["otpPolicyInitialCounter"] = 0,
        ["otpPolicyDigits"] = 6,
        ["otpPolicyLookAheadWindow"] = 1,
        ["otpPolicyPeriod"] = 30,
        ["otpPolicyCodeReusable"] = false,
        ["browserSecurityHeaders"] = new JsonObject
        {
            ["contentSecurityPolicyReportOnly"] = "",
            ["xContentTypeOptions"] = "nosniff",
            ["referrerPolicy"] = "no-referrer",
            ["xRobotsTag"] = "none",
            ["xFrameOptions"] = "SAMEORIGIN",
            ["contentSecurityPolicy"] = "frame-src 'self'; frame-ancestors 'self'; object-src 'none';",
            ["strictTransportSecurity"] = "max-age=31536000; includeSubDomains",
        },
        ["smtpServer"] = new JsonObject(),
        ["eventsEnabled"] = false,
        ["eventsListeners"] = new JsonArray("jboss-logging"),
        ["enabledEventTypes"] = new JsonArray(),
        ["adminEventsEnabled"] = false,
        ["adminEventsDetailsEnabled"] = false,
        ["internationalizationEnabled"] = false,
        ["supportedLocales"] = new JsonArray(),
        ["browserFlow"] = "browser",
        ["registrationFlow"] = "registration",
        ["directGrantFlow"] = "direct grant",
        ["resetCredentialsFlow"] = "reset credentials",
        ["clientAuthenticationFlow"] = "clients",
        ["dockerAuthenticationFlow"] = "docker auth",
        ["firstBrokerLoginFlow"] = "first broker login",
        ["attributes"] = new JsonObject(),
        ["userManagedAccessAllowed"] = false,
        ["organizationsEnabled"] = false,
        ["verifiableCredentialsEnabled"] = false,
        ["adminPermissionsEnabled"] = false,
    };

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

    public static void AddRealmManagementClient(SimulatedRealm realm)
    {
        var roles = new JsonArray(RealmManagementRoles.Select(r => (JsonNode?)new JsonObject { ["name"] = r }).ToArray());
        realm.AddClientUnlocked(new JsonObject
        {
            ["clientId"] = "realm-management",
            ["name"] = "${client_realm-management}",
            ["bearerOnly"] = true,
            ["roles"] = roles,
        });
        realm.AddClientUnlocked(new JsonObject
        {
            ["clientId"] = "account",
            ["name"] = "${client_account}",
            ["publicClient"] = true,
            ["rootUrl"] = "${authBaseUrl}",
            ["baseUrl"] = "/realms/" + realm.Name + "/account/",
        });
    }

    /// <summary>ClientRepresentation with Keycloak's defaults filled in (RepresentationToModel.createClient).</summary>
    public static JsonObject NewClient(JsonObject source)
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
            ["frontchannelLogout"] = true,
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

        if (SimJson.Bool(rep, "publicClient") != true && SimJson.Bool(rep, "bearerOnly") != true && SimJson.Str(rep, "secret") is null)
        {
            rep["secret"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        }

        return rep;
    }

    public static JsonObject NewClientRole(string name, string clientUuid, string? description) => new()
    {
        ["id"] = SimulatedRealm.NewId(),
        ["name"] = name,
        ["description"] = description ?? (RealmManagementRoles.Contains(name) ? "${role_" + name + "}" : null),
        ["composite"] = false,
        ["clientRole"] = true,
        ["containerId"] = clientUuid,
    };

    /// <summary>IdentityProviderRepresentation with Keycloak's defaults (field initialisers of the representation).</summary>
    public static JsonObject NewIdentityProvider(JsonObject source)
    {
        var rep = new JsonObject
        {
            ["alias"] = SimJson.Str(source, "alias"),
            ["displayName"] = SimJson.Str(source, "displayName"),
            ["internalId"] = SimJson.Str(source, "internalId") ?? SimulatedRealm.NewId(),
            ["providerId"] = SimJson.Str(source, "providerId"),
            ["enabled"] = SimJson.Bool(source, "enabled") ?? true,
            ["updateProfileFirstLoginMode"] = SimJson.Str(source, "updateProfileFirstLoginMode") ?? "on",
            ["trustEmail"] = SimJson.Bool(source, "trustEmail") ?? false,
            ["storeToken"] = SimJson.Bool(source, "storeToken") ?? false,
            ["addReadTokenRoleOnCreate"] = SimJson.Bool(source, "addReadTokenRoleOnCreate") ?? false,
            ["authenticateByDefault"] = SimJson.Bool(source, "authenticateByDefault") ?? false,
            ["linkOnly"] = SimJson.Bool(source, "linkOnly") ?? false,
            ["hideOnLogin"] = SimJson.Bool(source, "hideOnLogin") ?? false,
            ["firstBrokerLoginFlowAlias"] = SimJson.Str(source, "firstBrokerLoginFlowAlias") ?? "first broker login",
            ["config"] = source["config"] is JsonObject config ? config.DeepClone() : new JsonObject(),
        };
        foreach (var (key, value) in source)
        {
            if (!rep.ContainsKey(key) && value is not null)
            {
                rep[key] = value.DeepClone();
            }
        }

        return rep;
    }
}
