using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>
/// The realm-role, group, client-scope and realm-default-scope requests <c>realm plan | apply | export</c> send,
/// answered by the real server and the simulator alike.
/// </summary>
public sealed class RolesAndScopesDifferentialTests
{
    [Test]
    public async Task RolesAndGroups_CreateUpdateGrantRevoke_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var sets = new Comparison { Sets = { "" } };

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/roles?briefRepresentation=false")).AssertSame(sets);
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/roles",
            new JsonObject { ["name"] = "idpbridge-admin", ["description"] = "d", ["attributes"] = new JsonObject { ["a"] = new JsonArray("1") } })).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/roles", new JsonObject { ["name"] = "idpbridge-admin" })).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/roles/idpbridge-admin", new JsonObject { ["name"] = "idpbridge-admin" })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/roles/idpbridge-admin")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/roles")).AssertSame(sets);

        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/groups", new JsonObject { ["name"] = "admins", ["realmRoles"] = new JsonArray("idpbridge-admin") });
        created.AssertSame();
        both.RememberId("group", created);
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/groups?briefRepresentation=false&first=0&max=100")).AssertSame();
        var role = await both.SendAsync(HttpMethod.Get, "realms/{realm}/roles/idpbridge-admin");
        both.RememberId("role", role.Server.Body!["id"]!.GetValue<string>(), role.Simulator.Body!["id"]!.GetValue<string>());
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/groups/{id:group}/role-mappings/realm",
            new JsonArray(new JsonObject { ["id"] = "{id:role}", ["name"] = "idpbridge-admin" }))).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/groups/{id:group}/role-mappings/realm")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/groups/{id:group}",
            new JsonObject { ["name"] = "admins", ["attributes"] = new JsonObject { ["x"] = new JsonArray("y") } })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/groups/{id:group}")).AssertSame();
    }

    [Test]
    public async Task ClientScopesAndRealmDefaults_CreateMapperAndMove_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var sets = new Comparison { Sets = { "" } };

        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/client-scopes", new JsonObject
        {
            ["name"] = "idpbridge-audience", ["protocol"] = "openid-connect", ["attributes"] = new JsonObject { ["include.in.token.scope"] = "false" },
            ["protocolMappers"] = new JsonArray(new JsonObject
            {
                ["name"] = "aud", ["protocol"] = "openid-connect", ["protocolMapper"] = "oidc-audience-mapper",
                ["config"] = new JsonObject { ["included.custom.audience"] = "idpbridge", ["access.token.claim"] = "true" },
            }),
        });
        created.AssertSame();
        both.RememberId("scope", created);
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/client-scopes/{id:scope}", new JsonObject
        {
            ["name"] = "idpbridge-audience",
            ["protocol"] = "openid-connect",
            ["attributes"] = new JsonObject { ["display.on.consent.screen"] = "false" },
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/client-scopes/{id:scope}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/default-default-client-scopes")).AssertSame(sets);
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/default-optional-client-scopes")).AssertSame(sets);
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/default-default-client-scopes/{id:scope}")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/default-optional-client-scopes/{id:scope}")).AssertSame();
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/default-optional-client-scopes/{id:scope}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/default-default-client-scopes")).AssertSame(sets);
        var client = await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject { ["clientId"] = "after-defaults", ["publicClient"] = true });
        both.RememberId("client", client);
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:client}/default-client-scopes")).AssertSame(sets);
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:client}/optional-client-scopes")).AssertSame(sets);
    }
}
