using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>Realm roles (<c>roles.realm</c>) and groups with realm-role grants, planned, applied and exported against the simulator.</summary>
public sealed class RealmRoleAndGroupTests : ProvisionerTestBase
{
    private const string Declared = """
        {
          "realm": "shop",
          "roles": { "realm": [ { "name": "idpbridge-admin", "description": "IdpBridge administrator", "attributes": { "tier": ["b", "a"] } } ] },
          "groups": [ { "name": "idpbridge-admins", "realmRoles": ["idpbridge-admin", "offline_access"] } ]
        }
        """;

    [Test]
    public async Task Apply_RolesAndGroup_CreatesThemGrantsTheRolesAndASecondApplySendsNoWrite()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config(Declared);

        var plan = await Provisioner.PlanAsync(config);
        var result = await Provisioner.ApplyAsync(config, plan);
        Simulator.ClearRequests();
        var again = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, again);

        var group = realm.GetGroups().Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Failure?.Message);
            Assert.That(Describe(plan), Is.EqualTo(new[]
            {
                "Create realm-role idpbridge-admin: name ∅ → \"idpbridge-admin\"",
                "Create realm-role idpbridge-admin: description ∅ → \"IdpBridge administrator\"",
                "Create realm-role idpbridge-admin: attributes.tier ∅ → [\"b\",\"a\"]",
                "Create group idpbridge-admins: name ∅ → \"idpbridge-admins\"",
                "Create group idpbridge-admins: realmRoles.idpbridge-admin ∅ → true",
                "Create group idpbridge-admins: realmRoles.offline_access ∅ → true",
            }));
            var role = realm.GetRealmRoles().Single(r => r["name"]!.GetValue<string>() == "idpbridge-admin");
            Assert.That(role["description"]!.GetValue<string>(), Is.EqualTo("IdpBridge administrator"));
            Assert.That(group["name"]!.GetValue<string>(), Is.EqualTo("idpbridge-admins"));
            Assert.That(Strings(group["realmRoles"]), Is.EquivalentTo(new[] { "idpbridge-admin", "offline_access" }));
            Assert.That(again.IsEmpty, Is.True, string.Join('\n', Describe(again)));
            Assert.That(AdminWrites(), Is.Empty);
        });
    }

    [Test]
    public async Task Plan_RevokedGrantAndEditedDescription_ShowsBothAndApplyRepairsThem()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config(Declared);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));
        realm.RevokeGroupRealmRole("idpbridge-admins", "idpbridge-admin");
        await Keycloak.UpdateRealmRoleAsync("shop", "idpbridge-admin", new IdpBridge.Keycloak.Clients.RoleRepresentation { Name = "idpbridge-admin", Description = "edited" });
        Simulator.ClearRequests();

        var drift = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, drift);

        var writes = Simulator.Requests.Where(request => request.Method != "GET").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Describe(drift), Is.EqualTo(new[]
            {
                "Update realm-role idpbridge-admin: description \"edited\" → \"IdpBridge administrator\"",
                "Update group idpbridge-admins: realmRoles.idpbridge-admin ∅ → true",
            }));
            Assert.That(writes.Select(request => $"{request.Method} {request.Path}"), Is.EqualTo(new[]
            {
                "PUT /admin/realms/shop/roles/idpbridge-admin",
                $"POST /admin/realms/shop/groups/{realm.GetGroups().Single()["id"]}/role-mappings/realm",
            }));
            Assert.That(writes[0].Body, Does.Contain("\"tier\""), "the role's attributes are sent back with the description");
            Assert.That(Strings(realm.GetGroups().Single()["realmRoles"]), Is.EquivalentTo(new[] { "idpbridge-admin", "offline_access" }));
        });
    }

    [Test]
    public async Task Plan_UndeclaredRolesGroupsAndGrants_AreLeftAlone()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.AddRealmRole("auditor", "made by hand");
        var id = await Keycloak.CreateGroupAsync("shop", new IdpBridge.Keycloak.Groups.GroupRepresentation { Name = "auditors" });
        var roles = await Keycloak.ListRealmRolesAsync("shop");
        await Keycloak.AddGroupRealmRolesAsync("shop", id, [.. roles.Where(role => role.Name == "auditor")]);

        var plan = await Provisioner.PlanAsync(Config("""
            { "realm": "shop", "roles": { "realm": [ { "name": "idpbridge-admin" } ] }, "groups": [ { "name": "auditors", "attributes": { "team": ["x"] } } ] }
            """));
        await Provisioner.ApplyAsync(Config("""
            { "realm": "shop", "roles": { "realm": [ { "name": "idpbridge-admin" } ] }, "groups": [ { "name": "auditors", "attributes": { "team": ["x"] } } ] }
            """), plan);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Select(change => $"{change.Kind} {change}"), Is.EqualTo(new[] { "Create realm-role idpbridge-admin", "Update group auditors" }));
            Assert.That(realm.GetRealmRoles().Select(role => role["name"]!.GetValue<string>()), Does.Contain("auditor"));
            Assert.That(Strings(realm.GetGroups().Single()["realmRoles"]), Is.EqualTo(new[] { "auditor" }), "a group that declares no realmRoles keeps its grants");
        });
    }

    [Test]
    public async Task Plan_GroupNamingARoleThatExistsNowhere_IsRefusedWithItsPlaceBeforeAnyWrite()
    {
        Simulator.CreateRealm("shop");
        var config = Config("""
            {
              "realm": "shop",
              "groups": [ { "name": "admins", "realmRoles": ["offline_access", "idpbridge-admn"] } ]
            }
            """);

        var exception = Assert.ThrowsAsync<RealmConfigException>(() => Provisioner.PlanAsync(config));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Is.EqualTo(
                "realm.json:3:68: $.groups[0].realmRoles[1]: no realm role 'idpbridge-admn' in this file (roles.realm) nor in realm 'shop'"));
            Assert.That(AdminWrites(), Is.Empty);
        });
    }

    [Test]
    public void Plan_NewRealmWithAGroupNamingAnUnknownRole_IsRefusedBeforeTheRealmIsCreated()
    {
        var config = Config("""{ "realm": "shop", "groups": [ { "name": "admins", "realmRoles": ["default-roles-shop", "nope"] } ] }""");

        var exception = Assert.ThrowsAsync<RealmConfigException>(() => Provisioner.PlanAsync(config));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.EndWith("$.groups[0].realmRoles[1]: no realm role 'nope' in this file (roles.realm) nor in the realm Keycloak will create"));
            Assert.That(Simulator.HasRealm("shop"), Is.False);
        });
    }

    [Test]
    public async Task Export_ThenPlan_WritesTheRolesAndGroupsBackAndPlansNothing()
    {
        Simulator.CreateRealm("shop");
        var config = Config(Declared);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));

        var exported = await new RealmExporter(Keycloak).ExportAsync("shop");
        var replanned = await Provisioner.PlanAsync(RealmConfigLoader.Parse(exported.ToJsonString(), "export.json", _ => null).Config);

        Assert.Multiple(() =>
        {
            Assert.That(exported["roles"]!.ToJsonString(), Is.EqualTo(
                """{"realm":[{"name":"idpbridge-admin","description":"IdpBridge administrator","attributes":{"tier":["a","b"]}}]}"""),
                "Keycloak's own roles of every realm are left out");
            Assert.That(exported["groups"]!.ToJsonString(), Is.EqualTo("""[{"name":"idpbridge-admins","realmRoles":["idpbridge-admin","offline_access"]}]"""));
            Assert.That(replanned.IsEmpty, Is.True, string.Join('\n', Describe(replanned)));
        });
    }
}
