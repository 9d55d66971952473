using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>
/// Keycloak stores some arrays as sets and answers them in an order of its own (26.7.3: <c>["es","en"]</c> is read back
/// <c>["en","es"]</c>). The live state is arranged here in such an order, directly in the Simulator.
/// </summary>
public sealed class SetValuedFieldsTests : ProvisionerTestBase
{
    [Test]
    public async Task Plan_RealmSetsInKeycloaksOrder_IsEmpty()
    {
        var realm = Simulator.CreateRealm("shop");
        // The order the real 26.7.3 server answered for the demo realm's values.
        realm.SetSetting("supportedLocales", new JsonArray("en", "es"));
        realm.SetSetting("enabledEventTypes", new JsonArray(
            "CUSTOM_REQUIRED_ACTION", "REGISTER", "LOGIN_ERROR", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION_ERROR", "LOGIN"));
        realm.SetSetting("eventsListeners", new JsonArray("jboss-logging", "email"));
        var config = Config("""
            { "realm": "shop", "supportedLocales": ["es", "en"], "eventsListeners": ["email", "jboss-logging"],
              "enabledEventTypes": ["LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"] }
            """);

        var plan = await Provisioner.PlanAsync(config);

        Assert.That(Describe(plan), Is.Empty);
    }

    [Test]
    public async Task Plan_RealmSetWithAnotherMember_ShowsTheWholeFieldAndPutsTheDeclaredSet()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.SetSetting("supportedLocales", new JsonArray("en", "es"));
        var config = Config("""{ "realm": "shop", "supportedLocales": ["es", "en", "pt-BR"] }""");

        var plan = await Provisioner.PlanAsync(config);
        Simulator.ClearRequests();
        await Provisioner.ApplyAsync(config, plan);

        var put = Simulator.Requests.Single(request => request.Method == "PUT");
        Assert.Multiple(() =>
        {
            Assert.That(Describe(plan), Is.EqualTo(new[] { """Update realm shop: supportedLocales ["en","es"] → ["es","en","pt-BR"]""" }));
            Assert.That(put.Path, Is.EqualTo("/admin/realms/shop"));
            Assert.That(JsonNode.Parse(put.Body!)!.ToJsonString(), Is.EqualTo("""{"supportedLocales":["es","en","pt-BR"]}"""));
        });
    }

    [Test]
    public async Task Plan_EmptyLocalesDeclaredAndKeycloakLeavesThemOut_IsEmpty()
    {
        Simulator.CreateRealm("shop").SetSetting("supportedLocales", new JsonArray());
        Assert.That((await Keycloak.FindRealmAsync("shop"))!.SupportedLocales, Is.Null, "26.7.3 leaves an empty set of locales out");

        var plan = await Provisioner.PlanAsync(Config("""{ "realm": "shop", "supportedLocales": [] }"""));

        Assert.That(Describe(plan), Is.Empty);
    }

    [Test]
    public async Task Plan_ClientSetsInAnotherOrder_IsEmpty()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.AddClient(new JsonObject
        {
            ["clientId"] = "app",
            ["publicClient"] = true,
            ["redirectUris"] = new JsonArray("https://a.example/*", "https://b.example/*", "https://c.example/cb"),
            ["webOrigins"] = new JsonArray("https://a.example", "https://b.example", "+"),
        });
        var live = realm.GetClients().Single(client => client["clientId"]!.GetValue<string>() == "app");
        var declared = new JsonObject { ["clientId"] = "app", ["publicClient"] = true };
        foreach (var field in new[] { "redirectUris", "webOrigins", "defaultClientScopes", "optionalClientScopes" })
        {
            declared[field] = new JsonArray(live[field]!.AsArray().Reverse().Select(item => item!.DeepClone()).ToArray());
            Assert.That(declared[field]!.ToJsonString(), Is.Not.EqualTo(live[field]!.ToJsonString()), $"{field} must be declared in another order");
        }

        var plan = await Provisioner.PlanAsync(Config(new JsonObject { ["realm"] = "shop", ["clients"] = new JsonArray(declared) }.ToJsonString()));

        Assert.That(Describe(plan), Is.Empty);
    }

    [Test]
    public async Task Plan_ClientRedirectUriMissing_ShowsRedirectUrisOnly()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.AddClient(new JsonObject { ["clientId"] = "app", ["publicClient"] = true, ["redirectUris"] = new JsonArray("https://b.example/*") });
        var config = Config("""
            { "realm": "shop", "clients": [ { "clientId": "app", "publicClient": true, "redirectUris": ["https://a.example/*", "https://b.example/*"] } ] }
            """);

        var plan = await Provisioner.PlanAsync(config);

        Assert.That(Describe(plan), Is.EqualTo(new[]
        {
            """Update client app: redirectUris ["https://b.example/*"] → ["https://a.example/*","https://b.example/*"]""",
        }));
    }

    [Test]
    public async Task Apply_ClientScopeMovedFromOptionalToDefault_RelinksItThroughTheScopeEndpointsOnly()
    {
        var realm = Simulator.CreateRealm("shop");
        var uuid = realm.AddClient(new JsonObject
        {
            ["clientId"] = "app", ["publicClient"] = true,
            ["defaultClientScopes"] = new JsonArray("profile", "email"), ["optionalClientScopes"] = new JsonArray("phone"),
        });
        var phone = (await Keycloak.ListClientScopesAsync("shop")).Single(scope => scope.Name == "phone").Id;
        var config = Config("""
            { "realm": "shop", "clients": [ { "clientId": "app", "publicClient": true,
              "defaultClientScopes": ["email", "phone", "profile"], "optionalClientScopes": [] } ] }
            """);

        var plan = await Provisioner.PlanAsync(config);
        Simulator.ClearRequests();
        var result = await Provisioner.ApplyAsync(config, plan);
        var writes = Simulator.Requests.Where(request => request.Method != "GET").Select(request => $"{request.Method} {request.Path}").ToList();
        var again = await Provisioner.PlanAsync(config);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Failure?.Message);
            Assert.That(Describe(plan), Is.EqualTo(new[]
            {
                """Update client app: defaultClientScopes ["profile","email"] → ["email","phone","profile"]""",
                """Update client app: optionalClientScopes ["phone"] → []""",
            }));
            // The client's own PUT would be ignored for scopes: none is sent.
            Assert.That(writes, Is.EqualTo(new[]
            {
                $"DELETE /admin/realms/shop/clients/{uuid}/optional-client-scopes/{phone}",
                $"PUT /admin/realms/shop/clients/{uuid}/default-client-scopes/{phone}",
            }));
            Assert.That(Describe(again), Is.Empty);
        });
    }

    [Test]
    public async Task Plan_UserProfileRoleAndScopeSetsInAnotherOrder_IsEmpty()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.SetUserProfile(Profile(view: ["admin", "user"], requiredRoles: ["admin", "user"], requiredScopes: ["address", "profile"]));
        var declared = Profile(view: ["user", "admin"], requiredRoles: ["user", "admin"], requiredScopes: ["profile", "address"]);

        var plan = await Provisioner.PlanAsync(Config(new JsonObject { ["realm"] = "shop", ["userProfile"] = declared }.ToJsonString()));

        Assert.That(Describe(plan), Is.Empty);
    }

    [Test]
    public async Task Plan_UserProfileViewSetGainsARole_ShowsThatAttribute()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.SetUserProfile(Profile(view: ["admin"], requiredRoles: ["admin", "user"], requiredScopes: ["address", "profile"]));
        var declared = Profile(view: ["user", "admin"], requiredRoles: ["user", "admin"], requiredScopes: ["profile", "address"]);

        var plan = await Provisioner.PlanAsync(Config(new JsonObject { ["realm"] = "shop", ["userProfile"] = declared }.ToJsonString()));

        var change = plan.Changes.Single();
        Assert.Multiple(() =>
        {
            Assert.That($"{change.Kind} {change}", Is.EqualTo("Update user-profile shop"));
            Assert.That(change.Fields.Select(field => field.Path), Is.EqualTo(new[] { "attributes.department" }));
            Assert.That(change.Fields.Single().Before!["permissions"]!["view"]!.ToJsonString(), Is.EqualTo("""["admin"]"""));
            Assert.That(change.Fields.Single().After!["permissions"]!["view"]!.ToJsonString(), Is.EqualTo("""["admin","user"]"""));
        });
    }

    [Test]
    public async Task Plan_ExistingIdentityProvider_IsReadWholeByAliasAfterTheList()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.PutIdentityProvider(new JsonObject { ["alias"] = "google", ["providerId"] = "google", ["trustEmail"] = true, ["config"] = new JsonObject() });
        var config = Config("""{ "realm": "shop", "identityProviders": [ { "alias": "google", "providerId": "google", "trustEmail": true } ] }""");
        Simulator.ClearRequests();

        var plan = await Provisioner.PlanAsync(config);

        Assert.Multiple(() =>
        {
            Assert.That(Describe(plan), Is.Empty);
            Assert.That(Simulator.Requests.Where(request => request.Path.Contains("/identity-provider/", StringComparison.Ordinal))
                    .Select(request => $"{request.Method} {request.Path}"),
                Is.EqualTo(new[]
                {
                    "GET /admin/realms/shop/identity-provider/instances",
                    "GET /admin/realms/shop/identity-provider/instances/google",
                }));
        });
    }

    [TestCase("""["es","en"]""", """["en","es","es"]""", true)]
    [TestCase("""["es","en"]""", """["es"]""", false)]
    [TestCase("""[]""", """[]""", true)]
    public void SameSet_TwoArrays_IgnoresOrderAndRepetition(string left, string right, bool same) =>
        Assert.That(SetValuedFields.SameSet(JsonNode.Parse(left)!.AsArray(), JsonNode.Parse(right)!.AsArray()), Is.EqualTo(same));

    private static JsonObject Profile(string[] view, string[] requiredRoles, string[] requiredScopes) => new()
    {
        ["attributes"] = new JsonArray(
            Attribute("username", ["admin", "user"], null, null),
            Attribute("email", ["admin", "user"], null, null),
            Attribute("department", view, requiredRoles, requiredScopes)),
    };

    private static JsonObject Attribute(string name, string[] view, string[]? requiredRoles, string[]? requiredScopes)
    {
        var attribute = new JsonObject
        {
            ["name"] = name,
            ["permissions"] = new JsonObject { ["view"] = Array(view), ["edit"] = Array(["admin"]) },
            ["multivalued"] = false,
        };
        if (requiredRoles is not null)
        {
            attribute["required"] = new JsonObject { ["roles"] = Array(requiredRoles), ["scopes"] = Array(requiredScopes!) };
        }

        return attribute;
    }

    private static JsonArray Array(string[] items) => new(items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray());
}
