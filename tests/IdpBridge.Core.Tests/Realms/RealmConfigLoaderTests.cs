using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using IdpBridge.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

public sealed class RealmConfigLoaderTests
{
    private const string File = "realm.json";

    private static readonly string SmallRealmDirectory =
        Path.Combine(TestContext.CurrentContext.TestDirectory, "Realms", "TestData", "small-realm");

    private string temp = null!;

    [SetUp]
    public void CreateTempDirectory()
    {
        temp = Path.Combine(Path.GetTempPath(), "idpbridge-loader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
    }

    [TearDown]
    public void DeleteTempDirectory() => Directory.Delete(temp, recursive: true);

    [Test]
    public void Load_SmallValidConfig_MapsEveryPart()
    {
        // Arrange
        var path = Path.Combine(SmallRealmDirectory, "realm.json");
        var environment = Environment(("GOOGLE_SECRET", "s3cr3t"));

        // Act
        var result = RealmConfigLoader.Load(path, environment);

        // Assert
        var config = result.Config;
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings, Is.Empty);
            Assert.That(config.SourcePath, Is.EqualTo(path));
            Assert.That(config.RealmName, Is.EqualTo("externos"));
            Assert.That(config.Settings.ToJsonString(), Is.EqualTo(
                """{"displayName":"Externos","registrationAllowed":true,"internationalizationEnabled":true,"supportedLocales":""" +
                """["es","en"],"defaultLocale":"es","eventsExpiration":31536000}"""));
            Assert.That(config.Attributes, Is.EqualTo(new Dictionary<string, string> { ["frontendUrl"] = "https://sso.example.org" }));
            Assert.That(config.UserProfile!.ToJsonString(), Is.EqualTo(
                """{"attributes":[{"name":"username","displayName":"${username}"},{"name":"email","displayName":"${email}"}],"unmanagedAttributePolicy":"ADMIN_VIEW"}"""));
            Assert.That(Json(config.RequiredActions), Is.EqualTo(
                """[{"alias":"TERMS_AND_CONDITIONS","enabled":true,"defaultAction":true,"priority":20}]"""));
            Assert.That(Json(config.IdentityProviders), Is.EqualTo(
                """[{"alias":"google","providerId":"google","enabled":true,"config":{"clientId":"google-client","clientSecret":"s3cr3t"}}]"""));
            Assert.That(Json(config.IdentityProviderMappers), Is.EqualTo(
                """[{"name":"department","identityProviderAlias":"google","identityProviderMapper":"hardcoded-attribute-idp-mapper","config":""" +
                """{"attribute":"department","attribute.value":"sales"}}]"""));
            Assert.That(Json(config.Clients), Is.EqualTo(
                """[{"clientId":"idpbridge","publicClient":false,"serviceAccountsEnabled":true}]"""));
            Assert.That(config.ServiceAccountRoles.Keys, Is.EqualTo(new[] { "idpbridge" }));
            Assert.That(config.ServiceAccountRoles["idpbridge"], Is.EqualTo(new[] { "view-users", "manage-users" }));
            Assert.That(config.LocalizationTexts.Keys, Is.EqualTo(new[] { "es" }));
            Assert.That(config.LocalizationTexts["es"], Is.EqualTo(new Dictionary<string, string> { ["termsTitle"] = "Condiciones de uso" }));
            Assert.That(config.ExclusiveCollections, Is.EquivalentTo(new[] { "identityProviders" }));
            Assert.That(config.SmtpServer, Is.EqualTo(new Dictionary<string, string> { ["host"] = "smtp.example.org", ["password"] = "**********" }));
            Assert.That(config.IgnoredSections, Is.EqualTo(new[]
            {
                "accessTokenLifespan",
                "components['org.keycloak.keys.KeyProvider']",
                "id",
                "users (1 person; IdpBridge never provisions people)",
            }));
        });
    }

    [Test]
    public void Load_SmallValidConfig_DetachesEveryNodeFromTheDocument()
    {
        // Arrange
        var path = Path.Combine(SmallRealmDirectory, "realm.json");

        // Act
        var config = RealmConfigLoader.Load(path, Environment(("GOOGLE_SECRET", "x"))).Config;

        // Assert: the planner may add the objects to requests of its own.
        Assert.Multiple(() =>
        {
            Assert.That(config.Settings.Parent, Is.Null);
            Assert.That(config.UserProfile!.Parent, Is.Null);
            Assert.That(config.IdentityProviders.Concat(config.Clients).Concat(config.RequiredActions).Select(o => o.Parent), Is.All.Null);
        });
    }

    [Test]
    public void Load_Directory_ReadsRealmJsonInside()
    {
        // Act
        var config = RealmConfigLoader.Load(SmallRealmDirectory, Environment(("GOOGLE_SECRET", "x"))).Config;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.SourcePath, Is.EqualTo(Path.Combine(SmallRealmDirectory, "realm.json")));
            Assert.That(config.RealmName, Is.EqualTo("externos"));
        });
    }

    [Test]
    public void Load_DirectoryWithoutRealmJson_NamesTheFileItLookedFor()
    {
        // Act
        var exception = Refused(() => RealmConfigLoader.Load(temp, Environment()));

        // Assert
        var expected = Path.Combine(temp, "realm.json");
        Assert.That(exception.Message, Is.EqualTo($"{expected}: file not found (a directory stands for the realm.json inside it)"));
    }

    [Test]
    public void Load_MissingFile_SaysFileNotFound()
    {
        // Arrange
        var path = Path.Combine(temp, "nope.json");

        // Act
        var exception = Refused(() => RealmConfigLoader.Load(path, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo($"{path}: file not found"));
    }

    [Test]
    public void Parse_EnvironmentReferences_AreResolvedWholeEmbeddedAndWithDefaults()
    {
        // Arrange
        const string json = """
            {
              "realm": "${env:REALM}",
              "displayName": "Realm ${env:REALM} (${env:STAGE:-dev}) by ${env:OWNER:-nobody}",
              "loginTheme": "${env:THEME:-}",
              "accountTheme": "${env:EMPTY:-fallback}",
              "emailTheme": "${env:EMPTY}",
              "attributes": { "welcome": "Hi ${username}, from ${env:REALM}" }
            }
            """;
        var environment = Environment(("REALM", "externos"), ("OWNER", "ops"), ("EMPTY", ""));

        // Act
        var config = RealmConfigLoader.Parse(json, File, environment).Config;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.RealmName, Is.EqualTo("externos"));
            Assert.That(config.Settings["displayName"]!.GetValue<string>(), Is.EqualTo("Realm externos (dev) by ops"));
            Assert.That(config.Settings["loginTheme"]!.GetValue<string>(), Is.EqualTo(""));
            Assert.That(config.Settings["accountTheme"]!.GetValue<string>(), Is.EqualTo("fallback"));
            Assert.That(config.Settings["emailTheme"]!.GetValue<string>(), Is.EqualTo(""));
            Assert.That(config.Attributes["welcome"], Is.EqualTo("Hi ${username}, from externos"));
        });
    }

    [Test]
    public void Parse_TwoMissingVariables_ReportsBothWithPathsAndLines()
    {
        // Arrange
        const string json = """
            {
              "realm": "externos",
              "identityProviders": [
                {
                  "alias": "google",
                  "providerId": "google",
                  "config": { "clientId": "${env:GOOGLE_ID}", "clientSecret": "x-${env:GOOGLE_SECRET}-${env:PEPPER:-salt}" }
                }
              ]
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:7:31: $.identityProviders[0].config.clientId: environment variable GOOGLE_ID is not set (referenced as ${env:GOOGLE_ID}, without a default)\n" +
            "realm.json:7:67: $.identityProviders[0].config.clientSecret: environment variable GOOGLE_SECRET is not set (referenced as ${env:GOOGLE_SECRET}, without a default)"));
    }

    [Test]
    public void Parse_MalformedReference_IsRefused()
    {
        // Arrange
        const string json = """{ "realm": "r", "displayName": "${env:NAME" }""";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:1:32: $.displayName: malformed environment reference: write ${env:NAME} or ${env:NAME:-default} (NAME of letters, digits and _)"));
    }

    [Test]
    public void Parse_WrongTypeFromVariable_NamesTheVariableNotItsValue()
    {
        // Arrange
        const string json = """{ "realm": "r", "registrationAllowed": "${env:REGISTRATION}", "defaultLocale": "${env:LOCALE}", "supportedLocales": ["en"] }""";
        var environment = Environment(("REGISTRATION", "hunter2-yes"), ("LOCALE", "hunter2-de"));

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, environment));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Is.EqualTo(
                "realm.json:1:40: $.registrationAllowed: expected a boolean, got the value of ${env:REGISTRATION}; an ${env:...} reference always gives a string\n" +
                "realm.json:1:80: $.defaultLocale: the value of ${env:LOCALE} is not among supportedLocales (en)"));
            Assert.That(exception.Message, Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public void Parse_WrongTypeInSecretField_NeverEchoesTheValue()
    {
        // Arrange
        const string json = """
            {
              "realm": "r",
              "identityProviders": [ { "alias": "a", "providerId": "oidc", "config": { "clientSecret": 1234567 } } ],
              "clients": [ { "clientId": "c", "attributes": { "client.secret.backup": 7654321 } } ]
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:3:92: $.identityProviders[0].config.clientSecret: expected a string (identity provider config map strings to strings), got a number\n" +
            "realm.json:4:75: $.clients[0].attributes['client.secret.backup']: expected a string (client attributes map strings to strings), got a number"));
    }

    [Test]
    public void Parse_InvalidJson_ReportsLineAndColumn()
    {
        // Arrange
        const string json = "{\n  \"realm\": \"r\",\n  \"enabled\": true,\n}";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:4:1: invalid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode."));
    }

    [Test]
    public void Parse_InvalidJsonAfterNonAsciiText_CountsColumnsInCharacters()
    {
        // Arrange: "é" is two bytes in UTF-8 but one column in an editor.
        const string json = "{ \"displayName\": \"é\" \"realm\": \"r\" }";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Does.StartWith("realm.json:1:22: invalid JSON: "));
    }

    [Test]
    public void Parse_DuplicateProperty_IsRefusedAtTheRepeat()
    {
        // Arrange
        const string json = "{\n  \"realm\": \"a\",\n  \"realm\": \"b\"\n}";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:3:3: $.realm: duplicate property \"realm\" (Keycloak would silently keep the last one)"));
    }

    [TestCase("""{ "realm": "r", "registrationAllowed": "yes" }""",
        "realm.json:1:40: $.registrationAllowed: expected a boolean, got the string \"yes\"")]
    [TestCase("""{ "realm": "r", "identityProviders": { "alias": "google" } }""",
        "realm.json:1:38: $.identityProviders: expected an array, got an object")]
    [TestCase("""{ "realm": "r", "eventsExpiration": "1d" }""",
        "realm.json:1:37: $.eventsExpiration: expected a whole number, got the string \"1d\"")]
    [TestCase("""{ "realm": "r", "supportedLocales": ["en", 7] }""",
        "realm.json:1:44: $.supportedLocales[1]: expected a string, got the number 7")]
    [TestCase("""{ "realm": "r", "sslRequired": "sometimes" }""",
        "realm.json:1:32: $.sslRequired: expected none, external or all, got the string \"sometimes\"")]
    [TestCase("""{ "realm": "r", "displayName": null }""",
        "realm.json:1:32: $.displayName: expected a string, got null")]
    [TestCase("""{ "realm": "r", "attributes": { "frontendUrl": true } }""",
        "realm.json:1:48: $.attributes.frontendUrl: expected a string (realm attributes map strings to strings), got true")]
    [TestCase("""{ "realm": "r", "identityProviders": [ { "alias": "g", "providerId": "google", "config": { "hostedDomain": ["a"] } } ] }""",
        "realm.json:1:108: $.identityProviders[0].config.hostedDomain: expected a string (identity provider config map strings to strings), got an array")]
    [TestCase("""{ "displayName": "No name" }""",
        "realm.json:1:1: $.realm: missing: every realm config names its realm (\"realm\": \"name\")")]
    [TestCase("""{ "realm": "" }""",
        "realm.json:1:12: $.realm: empty: every realm config names its realm (\"realm\": \"name\")")]
    [TestCase("""{ "realm": "r", "identityProviders": [ { "alias": "corp", "providerId": "azure-ad" } ] }""",
        "realm.json:1:73: $.identityProviders[0].providerId: unknown identity provider type \"azure-ad\"; Keycloak 26 knows " +
        "bitbucket, facebook, github, gitlab, google, instagram, keycloak-oidc, kubernetes, linkedin-openid-connect, microsoft, oauth2, oidc, " +
        "openshift-v4, paypal, saml, spiffe, stackoverflow, twitter")]
    [TestCase("""{ "realm": "r", "identityProviders": [ { "providerId": "google" } ] }""",
        "realm.json:1:40: $.identityProviders[0].alias: missing: every entry of identityProviders is identified by its alias")]
    [TestCase("""{ "realm": "r", "requiredActions": [ { "alias": "VERIFY_EMAIL", "priority": "high" } ] }""",
        "realm.json:1:77: $.requiredActions[0].priority: expected a whole number, got the string \"high\"")]
    [TestCase("""{ "realm": "r", "identityProviderMappers": [ { "name": "m", "identityProviderAlias": "", "identityProviderMapper": "x" } ] }""",
        "realm.json:1:86: $.identityProviderMappers[0].identityProviderAlias: empty: every mapper names the identity provider it belongs to")]
    [TestCase("""{ "realm": "r", "identityProviderMappers": [ { "name": "m", "identityProviderMapper": "x" } ] }""",
        "realm.json:1:46: $.identityProviderMappers[0].identityProviderAlias: missing: every mapper names the identity provider it belongs to")]
    [TestCase("""{ "realm": "r", "userProfile": { "attributes": [ { "name": "username" } ] } }""",
        "realm.json:1:48: $.userProfile.attributes: the user profile drops 'email', which Keycloak refuses (\"The attribute 'email' can not be removed\")")]
    [TestCase("""{ "realm": "r", "userProfile": { "attributes": [ { "name": "username" }, { "name": "email" } ], "unmanagedAttributePolicy": "DISABLED" } }""",
        "realm.json:1:125: $.userProfile.unmanagedAttributePolicy: Keycloak has no DISABLED value: leave unmanagedAttributePolicy out to disable unmanaged attributes")]
    [TestCase("""{ "realm": "r", "internationalizationEnabled": true, "supportedLocales": ["en", "fr"], "defaultLocale": "de" }""",
        "realm.json:1:105: $.defaultLocale: \"de\" is not among supportedLocales (en, fr)")]
    [TestCase("""{ "realm": "r", "x-idpbridge": { "exclusive": ["identityProviders", "clients"] } }""",
        "realm.json:1:69: $.x-idpbridge.exclusive[1]: \"clients\" cannot be exclusive; only identityProviderMappers, identityProviders can")]
    [TestCase("""{ "realm": "r", "x-idpbridge": { "exlusive": ["identityProviders"] } }""",
        "realm.json:1:46: $.x-idpbridge.exlusive: unknown IdpBridge option; known: exclusive")]
    [TestCase("""{ "realm": "r", "users": [ { "serviceAccountClientId": "c", "clientRoles": { "realm-management": "view-users" } } ] }""",
        "realm.json:1:98: $.users[0].clientRoles.realm-management: expected an array of strings, got the string \"view-users\"")]
    [TestCase("""["realm"]""",
        "realm.json:1:1: $: the file holds 1 realm ((unnamed)); IdpBridge provisions one realm per file: save the one you mean on its own (an object, not an array)")]
    [TestCase("42",
        "realm.json:1:1: $: expected a realm (a JSON object), got the number 42")]
    public void Parse_BadInput_IsRefusedWithExactReason(string json, string expected)
    {
        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_DuplicateAliases_PointsAtTheRepeatAndTheFirst()
    {
        // Arrange
        const string json = """
            {
              "realm": "r",
              "identityProviders": [
                { "alias": "google", "providerId": "google" },
                { "alias": "google", "providerId": "oidc" }
              ]
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:5:16: $.identityProviders[1].alias: duplicate alias \"google\" (first declared at $.identityProviders[0])"));
    }

    [Test]
    public void Parse_UserProfileWithoutUsernameAndEmail_ReportsBoth()
    {
        // Arrange
        const string json = """{ "realm": "r", "userProfile": { "attributes": [] } }""";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Errors.Select(e => e.Reason), Is.EqualTo(new[]
        {
            "the user profile drops 'username', which Keycloak refuses (\"The attribute 'username' can not be removed\")",
            "the user profile drops 'email', which Keycloak refuses (\"The attribute 'email' can not be removed\")",
        }));
    }

    [Test]
    public void Parse_SupportedLocalesWithoutInternationalization_LoadsWithAWarning()
    {
        // Arrange
        const string json = """{ "realm": "r", "internationalizationEnabled": false, "supportedLocales": ["en", "es"] }""";

        // Act
        var result = RealmConfigLoader.Parse(json, File, Environment());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings.Select(w => w.ToString()), Is.EqualTo(new[]
            {
                "realm.json:1:75: $.supportedLocales: internationalizationEnabled is false, so Keycloak shows only English: the supported locales take effect once it is true",
            }));
            Assert.That(result.Config.Settings["supportedLocales"]!.ToJsonString(), Is.EqualTo("""["en","es"]"""));
        });
    }

    [Test]
    public void Parse_SeveralProblems_ListsEveryOneInFileOrder()
    {
        // Arrange
        const string json = """
            {
              "realm": "r",
              "identityProviders": [
                { "alias": "gh", "providerId": "githb", "enabled": "yes" }
              ],
              "registrationAllowed": 1,
              "clients": [ { "name": "no id" } ]
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exception.Errors.Select(e => $"{e.Line}:{e.Column} {e.JsonPath}"), Is.EqualTo(new[]
            {
                "4:36 $.identityProviders[0].providerId",
                "4:56 $.identityProviders[0].enabled",
                "6:26 $.registrationAllowed",
                "7:16 $.clients[0].clientId",
            }));
            Assert.That(exception.OmittedErrors, Is.Zero);
        });
    }

    [Test]
    public void Parse_MoreErrorsThanTheCap_ListsTheCapAndCountsTheRest()
    {
        // Arrange
        var attributes = string.Join(", ", Enumerable.Range(0, RealmConfigLoader.MaxErrors + 5).Select(i => $"\"a{i}\": {i}"));
        var json = $$"""{ "realm": "r", "attributes": { {{attributes}} } }""";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exception.Errors, Has.Count.EqualTo(RealmConfigLoader.MaxErrors));
            Assert.That(exception.OmittedErrors, Is.EqualTo(5));
            Assert.That(exception.Message, Does.EndWith("\nrealm.json: ... and 5 more errors"));
        });
    }

    [Test]
    public void Parse_UserProfileDeclaredTwice_IsRefused()
    {
        // Arrange
        const string json = """
            {
              "realm": "r",
              "userProfile": { "attributes": [ { "name": "username" }, { "name": "email" } ] },
              "components": {
                "org.keycloak.userprofile.UserProfileProvider": [
                  { "providerId": "declarative-user-profile", "config": { "kc.user.profile.config": [ "{\"attributes\":[{\"name\":\"username\"},{\"name\":\"email\"}]}" ] } }
                ]
              }
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:3:18: $.userProfile: the user profile is declared twice, here and in components['org.keycloak.userprofile.UserProfileProvider']: keep one"));
    }

    [Test]
    public void Parse_EmbeddedUserProfileProblems_AreReportedOnTheComponentString()
    {
        // Arrange
        const string json = """
            {
              "realm": "r",
              "components": {
                "org.keycloak.userprofile.UserProfileProvider": [
                  { "config": { "kc.user.profile.config": [ "{\"attributes\":[{\"name\":\"username\"}],\"unmanagedAttributePolicy\":\"DISABLED\"}" ] } }
                ]
              }
            }
            """;

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        const string at = "realm.json:5:49: $.components['org.keycloak.userprofile.UserProfileProvider'][0].config['kc.user.profile.config'][0]";
        Assert.That(exception.Message, Is.EqualTo(
            $"{at}: in the user profile, $.attributes: the user profile drops 'email', which Keycloak refuses (\"The attribute 'email' can not be removed\")\n" +
            $"{at}: in the user profile, $.unmanagedAttributePolicy: Keycloak has no DISABLED value: leave unmanagedAttributePolicy out to disable unmanaged attributes"));
    }

    [Test]
    public void Parse_EmbeddedUserProfileNotJson_IsRefusedWithThePositionInTheString()
    {
        // Arrange
        const string json =
            """{ "realm": "r", "components": { "org.keycloak.userprofile.UserProfileProvider": """ +
            """[ { "config": { "kc.user.profile.config": [ "{\"attributes\": [}" ] } } ] } }""";

        // Act
        var exception = Refused(() => RealmConfigLoader.Parse(json, File, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "realm.json:1:125: $.components['org.keycloak.userprofile.UserProfileProvider'][0].config['kc.user.profile.config'][0]: " +
            "the user profile JSON in this string is invalid at line 1, position 17 of the string: '}' is an invalid start of a value."));
    }

    [Test]
    public void Load_QuickstartImport_KeepsClientsAndRolesAndIgnoresPeople()
    {
        // Arrange
        var path = SharedData.KeycloakFile("realm-exports", "keycloak-quickstarts-js-spa-realm-import.json");

        // Act
        var result = RealmConfigLoader.Load(path, Environment());

        // Assert
        var config = result.Config;
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings, Is.Empty);
            Assert.That(config.RealmName, Is.EqualTo("quickstart"));
            Assert.That(config.Settings.ToJsonString(), Is.EqualTo("""{"enabled":true}"""));
            Assert.That(config.Clients.Select(c => c["clientId"]!.GetValue<string>()), Is.EqualTo(new[] { "spa" }));
            Assert.That(config.ServiceAccountRoles, Is.Empty);
            Assert.That(config.UserProfile, Is.Null);
            Assert.That(config.RealmRoles.Select(r => r["name"]!.GetValue<string>()), Is.EqualTo(new[] { "user", "admin" }));
            Assert.That(config.IgnoredSections, Is.EqualTo(new[] { "users (2 people; IdpBridge never provisions people)" }));
        });
    }

    [Test]
    public void Load_MultiRealmExport_IsRefusedNamingTheRealms()
    {
        // Arrange
        var path = SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json");

        // Act
        var exception = Refused(() => RealmConfigLoader.Load(path, Environment()));

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            $"{path}:1:1: $: the file holds 3 realms (master, Migration, Migration2); IdpBridge provisions one realm per file: " +
            "save the one you mean on its own (an object, not an array)"));
    }

    [TestCase("master", 0, 9, "users (2 people; IdpBridge never provisions people)")]
    [TestCase("Migration", 0, 8, "users (2 people; IdpBridge never provisions people)")]
    [TestCase("Migration2", 1, 6, "components['org.keycloak.storage.UserStorageProvider']")]
    public void Load_OneRealmOfTheMigrationExport_Loads(string realm, int identityProviders, int clients, string ignoredSection)
    {
        // Arrange
        var export = JsonNode.Parse(System.IO.File.ReadAllText(
            SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json")))!.AsArray();
        var path = Path.Combine(temp, realm + ".json");
        System.IO.File.WriteAllText(path, export.Single(r => r!["realm"]!.GetValue<string>() == realm)!.ToJsonString());

        // Act
        var result = RealmConfigLoader.Load(path, Environment());

        // Assert
        var config = result.Config;
        var profileAttributes = config.UserProfile!["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(result.Warnings, Is.Empty);
            Assert.That(config.RealmName, Is.EqualTo(realm));
            Assert.That(profileAttributes, Is.SupersetOf(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(config.IdentityProviders, Has.Count.EqualTo(identityProviders));
            Assert.That(config.Clients, Has.Count.EqualTo(clients));
            Assert.That(config.RequiredActions.Select(a => a["alias"]!.GetValue<string>()), Does.Contain("TERMS_AND_CONDITIONS"));
            Assert.That(config.Settings["sslRequired"]!.GetValue<string>(), Is.EqualTo("external"));
            Assert.That(config.SmtpServer, Is.Empty, "the export's empty smtpServer is managed and declares nothing");
            Assert.That(config.IgnoredSections, Does.Contain("authenticationFlows").And.Contain("roles.client").And.Contain("roles.realm[].composites")
                .And.Contain("id").And.Contain("keycloakVersion")
                .And.Contain("accessTokenLifespan").And.Contain("components['org.keycloak.keys.KeyProvider']")
                .And.Contain(ignoredSection));
            Assert.That(config.IgnoredSections, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(config.IgnoredSections.Where(s => RealmConfigSchema.ManagedSettings.Contains(s) || s == "components"), Is.Empty);
        });
    }

    [Test]
    public void Load_Migration2Realm_KeepsTheGitlabProviderAndItsSecret()
    {
        // Arrange
        var export = JsonNode.Parse(System.IO.File.ReadAllText(
            SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json")))!.AsArray();
        var path = Path.Combine(temp, "Migration2.json");
        System.IO.File.WriteAllText(path, export[2]!.ToJsonString());

        // Act
        var config = RealmConfigLoader.Load(path, Environment()).Config;

        // Assert
        var gitlab = config.IdentityProviders.Single();
        Assert.Multiple(() =>
        {
            Assert.That(gitlab["alias"]!.GetValue<string>(), Is.EqualTo("gitlab"));
            Assert.That(gitlab["providerId"]!.GetValue<string>(), Is.EqualTo("gitlab"));
            Assert.That(gitlab["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("secret"));
            Assert.That(config.UserProfile!["attributes"]![1]!["validations"]!["pattern"]!["error-message"]!.GetValue<string>(),
                Is.EqualTo("Invalid domain selected"));
        });
    }

    private static RealmConfigException Refused(TestDelegate load) => Assert.Throws<RealmConfigException>(load)!;

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.GetValueOrDefault(name);
    }

    private static string Json(IEnumerable<JsonObject> objects) => new JsonArray([.. objects.Select(o => o.DeepClone())]).ToJsonString();
}
