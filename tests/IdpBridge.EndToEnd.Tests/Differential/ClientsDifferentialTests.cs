using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The client requests <c>realm plan | apply | export</c> send, answered by the real server and the simulator alike.</summary>
public sealed class ClientsDifferentialTests
{
    [Test]
    public async Task CreateAndList_TheDemoClients_SameRepresentations()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var clients = DemoRealm.ReadSource()["clients"]!.AsArray();
        var service = clients[0]!.DeepClone().AsObject();
        service["secret"] = "idpbridge-secret";

        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", service);
        created.AssertSame();
        both.RememberId("service", created);
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", clients[1]!.DeepClone())).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients?clientId=idpbridge")).AssertSame(ScopeSets("[*]."));
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients?clientId=demo-app")).AssertSame(ScopeSets("[*]."));
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients")).AssertSame(BuiltInClients());
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:service}/client-secret")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:service}/service-account-user")).AssertSame();
    }

    [Test]
    public async Task ServiceAccountRoles_GrantListRevoke_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject
        {
            ["clientId"] = "worker", ["publicClient"] = false, ["serviceAccountsEnabled"] = true, ["standardFlowEnabled"] = false,
        });
        both.RememberId("worker", created);
        var user = await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:worker}/service-account-user");
        both.RememberId("user", user.Server.Body!["id"]!.GetValue<string>(), user.Simulator.Body!["id"]!.GetValue<string>());
        var management = await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients?clientId=realm-management");
        both.RememberId("rm", management.Server.Body![0]!["id"]!.GetValue<string>(), management.Simulator.Body![0]!["id"]!.GetValue<string>());
        var roles = await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:rm}/roles");
        roles.AssertSame(new Comparison { Sets = { "" } });
        foreach (var name in new[] { "view-users", "view-realm", "manage-users" })
        {
            both.RememberId(name, RoleId(roles.Server.Body!, name), RoleId(roles.Simulator.Body!, name));
        }

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}")).AssertSame();
        // Keycloak finds a client role to grant or revoke by its name and refuses it unless the id matches too.
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}",
            new JsonArray(new JsonObject { ["name"] = "view-users" }))).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}", Roles("view-users", "view-realm", "manage-users"))).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}")).AssertSame(new Comparison { Sets = { "" } });
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}", Roles("manage-users"))).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/{id:user}/role-mappings/clients/{id:rm}")).AssertSame(new Comparison { Sets = { "" } });
    }

    [Test]
    public async Task ClientScopes_RelinkAScope_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject
        {
            ["clientId"] = "app", ["publicClient"] = true,
            ["defaultClientScopes"] = new JsonArray("roles", "email", "profile"), ["optionalClientScopes"] = new JsonArray("phone", "address"),
        });
        both.RememberId("app", created);
        var scopes = await both.SendAsync(HttpMethod.Get, "realms/{realm}/client-scopes");
        scopes.AssertSame(new Comparison { Sets = { "", "[*].protocolMappers" } });
        both.RememberId("phone", ScopeId(scopes.Server.Body!, "phone"), ScopeId(scopes.Simulator.Body!, "phone"));

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/clients/{id:app}", new JsonObject
        {
            ["clientId"] = "app", ["defaultClientScopes"] = new JsonArray("roles"), ["redirectUris"] = new JsonArray("https://z.example/*", "https://a.example/*"),
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/clients/{id:app}/default-client-scopes/{id:phone}")).AssertSame();
        // The server lists a client's scopes by scope id (random per server): compared as a set.
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:app}/default-client-scopes")).AssertSame(new Comparison { Sets = { "" } });
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/clients/{id:app}/default-client-scopes/{id:phone}")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/clients/{id:app}/default-client-scopes/{id:phone}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/{id:app}")).AssertSame(ScopeSets(""));
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/clients/{id:app}/default-client-scopes/no-such-scope")).AssertSame();
    }

    [Test]
    public async Task Errors_DuplicateAndAbsentClient_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject { ["clientId"] = "app" });

        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject { ["clientId"] = "app" })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients/00000000-0000-0000-0000-000000000000")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/clients?clientId=absent")).AssertSame();
    }

    /// <summary>
    /// Client scopes are linked by scope id, so two servers order the names that share a hash bucket differently:
    /// compared as sets.
    /// </summary>
    private static Comparison ScopeSets(string prefix) => new() { Sets = { prefix + "defaultClientScopes", prefix + "optionalClientScopes" } };

    /// <summary>The whole list: the built-in clients in any order (the server lists them by id), each compared in full.</summary>
    private static Comparison BuiltInClients()
    {
        var comparison = ScopeSets("[*].");
        comparison.Sets.Add("");
        comparison.Sets.Add("[*].protocolMappers");
        return comparison;
    }

    /// <summary>Role representations by name, with each side's id (<c>{id:NAME}</c>).</summary>
    private static JsonArray Roles(params string[] names) =>
        new(names.Select(name => (JsonNode?)new JsonObject { ["id"] = $"{{id:{name}}}", ["name"] = name }).ToArray());

    private static string RoleId(JsonNode roles, string name) =>
        roles.AsArray().Single(role => role!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

    private static string ScopeId(JsonNode scopes, string name) =>
        scopes.AsArray().Single(scope => scope!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();
}
