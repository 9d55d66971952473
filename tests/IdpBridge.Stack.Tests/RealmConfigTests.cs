using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdpBridge.Stack.Tests;

/// <summary>
/// The demo realm `externos`: collects first name, last name and email only, makes every user accept the terms,
/// keeps the events that are the acceptance record, and gives IdpBridge's own client the least privilege it needs.
/// </summary>
public sealed partial class RealmConfigTests
{
    public const string RealmFile = "realm-config/externos/realm.json";

    private static JsonObject Realm() => RepoFiles.ReadJsonObject(RealmFile);

    private static IEnumerable<string?> AdminApiServiceAccountRoles() =>
        JsonNode.Parse(RepoFiles.Read("realm-config/modes/admin-api.serviceAccountRoles.json"))!.AsArray().Select(r => (string?)r);

    private static JsonObject Item(JsonObject realm, string collection, string key, string value) =>
        realm[collection]!.AsArray().Select(n => n!.AsObject()).SingleOrDefault(o => (string?)o[key] == value)
        ?? throw new AssertionException($"{collection} has no {key} '{value}'.");

    [Test]
    public void Realm_IsExternos_WithRegistrationByEmailAndSpanishFirst()
    {
        var realm = Realm();

        Assert.Multiple(() =>
        {
            Assert.That((string?)realm["realm"], Is.EqualTo("externos"));
            Assert.That((string?)realm["displayName"], Is.Not.Null.And.Not.Empty);
            Assert.That((bool?)realm["enabled"], Is.True);
            Assert.That((bool?)realm["registrationAllowed"], Is.True);
            Assert.That((bool?)realm["registrationEmailAsUsername"], Is.True);
            Assert.That((bool?)realm["loginWithEmailAllowed"], Is.True);
            Assert.That((bool?)realm["duplicateEmailsAllowed"], Is.False);
            Assert.That((bool?)realm["verifyEmail"], Is.True);
            Assert.That((bool?)realm["resetPasswordAllowed"], Is.True);
            Assert.That((bool?)realm["editUsernameAllowed"], Is.False);
            Assert.That((bool?)realm["internationalizationEnabled"], Is.True);
            Assert.That(realm["supportedLocales"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "es", "en" }));
            Assert.That((string?)realm["defaultLocale"], Is.EqualTo("es"));
            Assert.That((string?)realm["loginTheme"], Is.EqualTo("idpbridge"));
            Assert.That(realm["localizationTexts"], Is.Null, "policy publishing owns termsTitle/termsText");
        });
    }

    [Test]
    public void UserProfile_HasExactlyUsernameEmailFirstAndLastName_AndNoUnmanagedAttributes()
    {
        var profile = Realm()["userProfile"]!.AsObject();
        var attributes = profile["attributes"]!.AsArray().Select(a => a!.AsObject()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(attributes.Select(a => (string?)a["name"]), Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(profile.ContainsKey("unmanagedAttributePolicy"), Is.False, "absent means disabled");
            foreach (var attribute in attributes.Skip(1))
            {
                Assert.That(attribute["required"]?["roles"]?.AsArray().Select(r => (string?)r), Is.EqualTo(new[] { "user" }),
                    $"{attribute["name"]} is required of users");
            }
        });
    }

    [Test]
    public void UserProfile_KeepsKeycloaksDefaultValidationsAndPermissions()
    {
        var ours = Realm()["userProfile"]!["attributes"]!.AsArray();
        var keycloaks = JsonNode.Parse(File.ReadAllText(SharedKeycloakFile("user-profile/keycloak-default-user-profile.json")))!["attributes"]!.AsArray();

        Assert.Multiple(() =>
        {
            foreach (var theirs in keycloaks)
            {
                var mine = ours.Single(a => (string?)a!["name"] == (string?)theirs!["name"])!;
                Assert.That(JsonNode.DeepEquals(mine["validations"], theirs!["validations"]), Is.True, $"{theirs["name"]} validations");
                Assert.That(JsonNode.DeepEquals(mine["permissions"], theirs["permissions"]), Is.True, $"{theirs["name"]} permissions");
            }
        });
    }

    [Test]
    public void RequiredActions_BridgeMode_TheBridgeEnabledNotDefaultAndTheBuiltInTermsStepOff()
    {
        var bridge = Item(Realm(), "requiredActions", "alias", "idpbridge-terms");
        var terms = Item(Realm(), "requiredActions", "alias", "TERMS_AND_CONDITIONS");

        Assert.Multiple(() =>
        {
            Assert.That((string?)bridge["providerId"], Is.EqualTo("idpbridge-terms"));
            Assert.That((bool?)bridge["enabled"], Is.True);
            Assert.That((bool?)bridge["defaultAction"], Is.False, "it decides by itself, at each login, whom to ask");
            Assert.That((int?)bridge["priority"], Is.EqualTo(20), "where Keycloak's own terms step sits: before VERIFY_PROFILE (90)");
            Assert.That((string?)terms["providerId"], Is.EqualTo("TERMS_AND_CONDITIONS"));
            Assert.That((bool?)terms["enabled"], Is.False, "nobody meets two terms steps");
            Assert.That((bool?)terms["defaultAction"], Is.False);
        });
    }

    [Test]
    public void Events_KeepTheAcceptanceRecord_ForAnExplicitPeriod()
    {
        var realm = Realm();

        Assert.Multiple(() =>
        {
            Assert.That((bool?)realm["eventsEnabled"], Is.True);
            Assert.That((long?)realm["eventsExpiration"], Is.EqualTo(31_536_000), "365 days, in seconds");
            Assert.That(realm["enabledEventTypes"]!.AsArray().Select(n => (string?)n), Is.SupersetOf(new[]
            {
                "LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR",
            }));
            Assert.That(realm["eventsListeners"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "jboss-logging" }));
        });
    }

    [TestCase("google", true)]
    [TestCase("gitlab", false)]
    public void IdentityProviders_KeepNoTokens_AndImportOnlyAtFirstLogin(string alias, bool trustEmail)
    {
        var idp = Item(Realm(), "identityProviders", "alias", alias);
        var config = idp["config"]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)idp["providerId"], Is.EqualTo(alias));
            Assert.That((bool?)idp["enabled"], Is.True);
            Assert.That((bool?)idp["storeToken"], Is.False);
            Assert.That((bool?)idp["addReadTokenRoleOnCreate"], Is.False);
            Assert.That((bool?)idp["trustEmail"], Is.EqualTo(trustEmail));
            Assert.That((string?)config["syncMode"], Is.EqualTo("IMPORT"));
            Assert.That((string?)config["clientSecret"], Is.EqualTo($"${{env:{alias.ToUpperInvariant()}_CLIENT_SECRET}}"));
            Assert.That((string?)config["clientId"], Does.StartWith($"${{env:{alias.ToUpperInvariant()}_CLIENT_ID"));
        });
    }

    [Test]
    public void IdentityProviders_AskOnlyForTheScopesThatCarryNameAndEmail()
    {
        var realm = Realm();

        Assert.Multiple(() =>
        {
            Assert.That(Scopes(Item(realm, "identityProviders", "alias", "google")), Is.EquivalentTo(new[] { "openid", "email", "profile" }));
            // Keycloak's GitLab provider reads name and email from GitLab's /api/v4/user, which needs read_user.
            Assert.That(Scopes(Item(realm, "identityProviders", "alias", "gitlab")), Is.EquivalentTo(new[] { "read_user", "openid" }));
        });
    }

    [Test]
    public void IdentityProviders_AreOwnedByTheFile()
    {
        var exclusive = Realm()["x-idpbridge"]!["exclusive"]!.AsArray().Select(n => (string?)n);

        Assert.That(exclusive, Is.EqualTo(new[] { "identityProviders" }));
    }

    [Test]
    public void Secrets_AreOnlyEnvReferences_NeverLiteral()
    {
        var secrets = new List<(string Path, string? Value)>();
        CollectSecrets(Realm(), "$", secrets);

        Assert.That(secrets.Select(s => s.Path), Is.EquivalentTo(new[]
        {
            "$.identityProviders[0].config.clientSecret",
            "$.identityProviders[1].config.clientSecret",
            "$.clients[0].secret",
        }));
        Assert.Multiple(() =>
        {
            foreach (var (path, value) in secrets)
            {
                // No default after the name either: a default would be a literal secret.
                Assert.That(value, Does.Match(@"^\$\{env:[A-Z][A-Z0-9_]*\}$"), path);
            }
        });
    }

    [Test]
    public void Clients_IdpBridge_IsAConfidentialServiceAccountOnly()
    {
        var client = Item(Realm(), "clients", "clientId", "idpbridge");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)client["publicClient"], Is.False);
            Assert.That((bool?)client["serviceAccountsEnabled"], Is.True);
            Assert.That((bool?)client["standardFlowEnabled"], Is.False);
            Assert.That((bool?)client["directAccessGrantsEnabled"], Is.False);
            Assert.That((bool?)client["implicitFlowEnabled"], Is.Not.True);
            Assert.That((string?)client["secret"], Is.EqualTo("${env:IDPBRIDGE_CLIENT_SECRET}"));
        });
    }

    [Test]
    public void ServiceAccount_IdpBridge_HasExactlyTheRolesOfBridgeMode()
    {
        var users = Realm()["users"]!.AsArray().Select(u => u!.AsObject()).ToList();
        var account = users.Single(u => (string?)u["serviceAccountClientId"] == "idpbridge");
        var clientRoles = account["clientRoles"]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)account["username"], Is.EqualTo("service-account-idpbridge"));
            Assert.That(clientRoles.Select(p => p.Key), Is.EqualTo(new[] { "realm-management" }));
            Assert.That(clientRoles["realm-management"]!.AsArray().Select(r => (string?)r), Is.EquivalentTo(new[]
            {
                "view-users", "view-events", "manage-realm",
            }), "bridge mode writes no user: no manage-users");
            Assert.That(AdminApiServiceAccountRoles(), Is.EquivalentTo(new[]
            {
                "view-users", "manage-users", "view-events", "view-realm", "manage-realm",
            }), "the Admin API variant's rollout writes users");
            Assert.That(account["realmRoles"], Is.Null);
            Assert.That(users, Has.Count.EqualTo(1), "the demo realm seeds no people");
        });
    }

    [Test]
    public void Clients_DemoApp_IsAPublicBrowserClientOnLocalhost3000()
    {
        var client = Item(Realm(), "clients", "clientId", "demo-app");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)client["publicClient"], Is.True);
            Assert.That((bool?)client["standardFlowEnabled"], Is.True);
            Assert.That((bool?)client["directAccessGrantsEnabled"], Is.False);
            Assert.That(client["redirectUris"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "http://localhost:3000/*" }));
            Assert.That(client["webOrigins"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "http://localhost:3000" }));
        });
    }

    [Test]
    public void ClientScopes_AddressAndPhone_AreOfferedNeitherByTheRealmNorByAnyClient()
    {
        var realm = Realm();
        var lists = new[] { ("realm", realm["defaultDefaultClientScopes"]), ("realm", realm["defaultOptionalClientScopes"]) }
            .Concat(realm["clients"]!.AsArray().SelectMany(client => new[]
            {
                ((string)client!["clientId"]!, client["defaultClientScopes"]), ((string)client["clientId"]!, client["optionalClientScopes"]),
            }))
            .ToList();

        Assert.Multiple(() =>
        {
            foreach (var (owner, list) in lists)
            {
                Assert.That(list, Is.Not.Null, $"{owner} declares its scope lists (else Keycloak's defaults, address and phone among them, apply)");
                Assert.That(list!.AsArray().Select(n => (string?)n), Does.Not.Contain("address").And.Not.Contain("phone"), owner);
            }
        });
    }

    [Test]
    public void AdminPage_SignsInAsTheServiceExpectsAndItsTokensCarryTheAdminApiAudience()
    {
        var realm = Realm();
        var client = Item(realm, "clients", "clientId", "idpbridge-admin-page");
        var mapper = Item(Item(realm, "clientScopes", "name", "idpbridge-audience"), "protocolMappers", "name", "idpbridge audience");
        var admins = Item(realm, "groups", "name", "idpbridge-admins");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)client["publicClient"], Is.True);
            Assert.That((bool?)client["standardFlowEnabled"], Is.True);
            Assert.That((bool?)client["directAccessGrantsEnabled"], Is.False);
            Assert.That((string?)client["attributes"]!["pkce.code.challenge.method"], Is.EqualTo("S256"));
            Assert.That(client["redirectUris"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[]
            {
                "${env:IDPBRIDGE_PUBLIC_URL:-http://localhost:8081}/admin/realms/externos/signin-oidc",
            }));
            Assert.That((string?)client["attributes"]!["post.logout.redirect.uris"],
                Is.EqualTo("${env:IDPBRIDGE_PUBLIC_URL:-http://localhost:8081}/admin/realms/externos/signout-callback-oidc"));
            Assert.That(client["defaultClientScopes"]!.AsArray().Select(n => (string?)n), Does.Contain("idpbridge-audience").And.Contain("roles"));
            Assert.That((string?)mapper["protocolMapper"], Is.EqualTo("oidc-audience-mapper"));
            Assert.That((string?)mapper["config"]!["included.custom.audience"], Is.EqualTo("idpbridge"), "IdpBridge:AdminApi:Audience's default");
            Assert.That(Item(realm["roles"]!.AsObject(), "realm", "name", "idpbridge-admin"), Is.Not.Null, "IdpBridge:AdminApi:Role's default");
            Assert.That(admins["realmRoles"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "idpbridge-admin" }));
        });
    }

    [Test]
    public void LoginTheme_IsTheOneComposeMounts()
    {
        var theme = (string)Realm()["loginTheme"]!;

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(RepoFiles.PathOf($"keycloak-theme/{theme}/login/theme.properties")), Is.True);
            Assert.That(RepoFiles.Read(Compose.FileName), Does.Contain($"./keycloak-theme/{theme}:/opt/keycloak/themes/{theme}:ro"));
        });
    }

    [Test]
    public void ThemeProperties_InheritsKeycloakV2()
    {
        var lines = RepoFiles.Read("keycloak-theme/idpbridge/login/theme.properties").Split('\n').Select(l => l.Trim()).ToList();

        Assert.That(lines, Does.Contain("parent=keycloak.v2"));
    }

    private static IEnumerable<string> Scopes(JsonObject idp) =>
        ((string?)idp["config"]!["defaultScope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static void CollectSecrets(JsonNode? node, string path, List<(string, string?)> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = $"{path}.{key}";
                    // A boolean such as resetPasswordAllowed is a setting, not a secret.
                    var isFlag = value is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
                    if (SecretName().IsMatch(key) && !isFlag)
                    {
                        found.Add((child, value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString()));
                    }
                    else
                    {
                        CollectSecrets(value, child, found);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CollectSecrets(array[i], $"{path}[{i}]", found);
                }

                break;
        }
    }

    private static string SharedKeycloakFile(string relative)
    {
        var path = Path.Combine(RepoFiles.Root, "..", "shared", "keycloak", relative);
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: the tests read Keycloak's own files from ../shared/keycloak/ beside the repository.");
        }

        return path;
    }

    [GeneratedRegex("secret|password|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
