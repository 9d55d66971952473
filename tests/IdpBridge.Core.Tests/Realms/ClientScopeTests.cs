using IdpBridge.Core.Realms;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>Client scopes with protocol mappers, the realm's default scopes and clients' scope lists, against the simulator.</summary>
public sealed class ClientScopeTests : ProvisionerTestBase
{
    private const string Declared = """
        {
          "realm": "shop",
          "clientScopes": [
            {
              "name": "idpbridge-audience", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "false" },
              "protocolMappers": [
                { "name": "audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                  "config": { "included.custom.audience": "idpbridge", "access.token.claim": "true" } }
              ]
            }
          ],
          "defaultOptionalClientScopes": ["offline_access", "organization"],
          "clients": [
            { "clientId": "admin-page", "publicClient": true, "defaultClientScopes": ["basic", "roles", "idpbridge-audience"], "optionalClientScopes": [] }
          ]
        }
        """;

    [Test]
    public async Task Apply_ScopeMapperDefaultsAndClient_AreMadeAsDeclaredAndASecondApplySendsNoWrite()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config(Declared);

        var result = await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));
        Simulator.ClearRequests();
        var again = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, again);

        var scope = realm.GetClientScopes().Single(s => s["name"]!.GetValue<string>() == "idpbridge-audience");
        var client = realm.GetClients().Single(c => c["clientId"]!.GetValue<string>() == "admin-page");
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Failure?.Message);
            Assert.That(scope["protocolMappers"]![0]!["config"]!["included.custom.audience"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That(realm.GetRealmDefaultClientScopes(optional: true), Is.EquivalentTo(new[] { "offline_access", "organization" }));
            Assert.That(realm.GetRealmDefaultClientScopes(optional: false), Does.Contain("profile"), "an undeclared list is left alone");
            Assert.That(Strings(client["defaultClientScopes"]), Is.EquivalentTo(new[] { "basic", "roles", "idpbridge-audience" }));
            Assert.That(Strings(client["optionalClientScopes"]), Is.Empty);
            Assert.That(again.IsEmpty, Is.True, string.Join('\n', Describe(again)));
            Assert.That(AdminWrites(), Is.Empty);
        });
    }

    [Test]
    public async Task Plan_MapperAndRealmDefaultsChangedByHand_ShowsTheFieldsAndApplyRepairsThemLeavingTheRestAlone()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config(Declared);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));
        realm.SetClientScopeMapperConfig("idpbridge-audience", "audience", "included.custom.audience", "someone-else");
        realm.SetClientScopeMapperConfig("idpbridge-audience", "audience", "userinfo.token.claim", "true");
        var scopeId = realm.GetClientScopes().Single(s => s["name"]!.GetValue<string>() == "idpbridge-audience")["id"]!.GetValue<string>();
        await Keycloak.CreateClientScopeMapperAsync("shop", scopeId, new IdpBridge.Keycloak.Clients.ProtocolMapperRepresentation
        {
            Name = "by hand", Protocol = "openid-connect", ProtocolMapper = "oidc-hardcoded-claim-mapper",
        });
        var phone = realm.GetClientScopes().Single(s => s["name"]!.GetValue<string>() == "phone")["id"]!.GetValue<string>();
        await Keycloak.AddRealmDefaultClientScopeAsync("shop", IdpBridge.Keycloak.Clients.ClientScopeKind.Optional, phone);
        Simulator.ClearRequests();

        var drift = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, drift);

        var mappers = realm.GetClientScopes().Single(s => s["name"]!.GetValue<string>() == "idpbridge-audience")["protocolMappers"]!.AsArray();
        var audience = mappers.Single(m => m!["name"]!.GetValue<string>() == "audience")!;
        Assert.Multiple(() =>
        {
            Assert.That(Describe(drift), Is.EqualTo(new[]
            {
                "Update client-scope-mapper idpbridge-audience/audience: config.included.custom.audience \"someone-else\" → \"idpbridge\"",
                "Update realm-default-client-scopes shop: defaultOptionalClientScopes [\"offline_access\",\"organization\",\"phone\"] → [\"offline_access\",\"organization\"]",
            }));
            Assert.That(AdminWrites(), Is.EqualTo(new[]
            {
                $"PUT /admin/realms/shop/client-scopes/{scopeId}/protocol-mappers/models/{audience["id"]}",
                $"DELETE /admin/realms/shop/default-optional-client-scopes/{phone}",
            }));
            Assert.That(audience["config"]!["included.custom.audience"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That(audience["config"]!["userinfo.token.claim"]!.GetValue<string>(), Is.EqualTo("true"), "undeclared config keys are sent back");
            Assert.That(mappers.Select(m => m!["name"]!.GetValue<string>()), Does.Contain("by hand"), "an undeclared mapper is left alone");
            Assert.That(realm.GetRealmDefaultClientScopes(optional: true), Is.EquivalentTo(new[] { "offline_access", "organization" }));
        });
    }

    [Test]
    public async Task Plan_ClientAndRealmNamingScopesThatExistNowhere_AreRefusedWithTheirPlacesBeforeAnyWrite()
    {
        Simulator.CreateRealm("shop");
        var config = Config("""
            {
              "realm": "shop",
              "defaultDefaultClientScopes": ["profile", "adress"],
              "clients": [ { "clientId": "app", "optionalClientScopes": ["phone", "idpbridge-audiense"] } ]
            }
            """);

        var exception = Assert.ThrowsAsync<RealmConfigException>(() => Provisioner.PlanAsync(config));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Errors.Select(error => error.ToString()), Is.EqualTo(new[]
            {
                "realm.json:3:45: $.defaultDefaultClientScopes[1]: no client scope 'adress' in this file (clientScopes) nor in realm 'shop'",
                "realm.json:4:71: $.clients[0].optionalClientScopes[1]: no client scope 'idpbridge-audiense' in this file (clientScopes) nor in realm 'shop'",
            }));
            Assert.That(AdminWrites(), Is.Empty);
        });
    }

    [Test]
    public async Task Export_ThenPlan_WritesEveryScopeAndTheRealmDefaultsBackAndPlansNothing()
    {
        Simulator.CreateRealm("shop");
        var config = Config(Declared);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));

        var exported = await new RealmExporter(Keycloak).ExportAsync("shop");
        var replanned = await Provisioner.PlanAsync(RealmConfigLoader.Parse(exported.ToJsonString(), "export.json", _ => null).Config);

        Assert.Multiple(() =>
        {
            Assert.That(exported["defaultOptionalClientScopes"]!.ToJsonString(), Is.EqualTo("""["offline_access","organization"]"""));
            Assert.That(exported["clientScopes"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Does.Contain("idpbridge-audience").And.Contain("profile"));
            Assert.That(exported["clientScopes"]!.ToJsonString(), Does.Not.Contain("\"id\""));
            Assert.That(replanned.IsEmpty, Is.True, string.Join('\n', Describe(replanned)));
        });
    }

    [Test]
    public async Task Apply_ClientWithoutScopesAfterTheRealmDefaultsChanged_GetsTheNewDefaults()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config("""{ "realm": "shop", "defaultOptionalClientScopes": ["offline_access"], "clients": [ { "clientId": "app" } ] }""");

        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));

        var client = realm.GetClients().Single(c => c["clientId"]!.GetValue<string>() == "app");
        Assert.That(Strings(client["optionalClientScopes"]), Is.EqualTo(new[] { "offline_access" }), "the realm's defaults change before clients are made");
    }

}
