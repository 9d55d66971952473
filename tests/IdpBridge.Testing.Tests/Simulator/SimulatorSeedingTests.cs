using IdpBridge.Testing.Contracts;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

[TestFixture]
public sealed class SimulatorSeedingTests
{
    [Test]
    public async Task SeedUsers_100000_CountedAndPagedInUsernameOrder()
    {
        using var sim = KeycloakSimulator.Start(new SimulatorOptions { MaxRequestLogCount = 100 });
        var realm = sim.CreateRealm("externos");
        using var http = await AdminClientAsync(sim);

        realm.SeedUsers(100_000);
        var count = await GetJsonAsync(http, Admin(sim, "externos", "/users/count"));
        var last = await GetJsonAsync(http, Admin(sim, "externos", "/users?first=99998&max=100"));
        var user70 = await GetJsonAsync(http, Admin(sim, "externos", "/users?username=user000070&exact=true"));

        Assert.That(realm.UserCount, Is.EqualTo(100_000));
        Assert.That(count.GetValue<int>(), Is.EqualTo(100_000));
        Assert.That(last.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "user099999", "user100000" }));
        Assert.That(last[1]!["email"]!.GetValue<string>(), Is.EqualTo("user100000@example.org"));
        Assert.That(Strings(user70[0]!["requiredActions"]), Is.EqualTo(new[] { "VERIFY_EMAIL" }));
        Assert.That(sim.Requests.Count, Is.LessThanOrEqualTo(100));
    }

    [Test]
    public async Task LoadRealmExport_Migration2404_RealmsUsersActionsProfileIdp()
    {
        using var sim = KeycloakSimulator.Start();
        SimulatorSeeding.LoadRealmExport(sim, SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json"));
        using var http = await AdminClientAsync(sim);

        var migration = sim.Realm("Migration");
        var profile = await GetJsonAsync(http, Admin(sim, "Migration", "/users/profile"));
        var idps = await GetJsonAsync(http, Admin(sim, "Migration2", "/identity-provider/instances"));
        var actions = await GetJsonAsync(http, Admin(sim, "Migration", "/authentication/required-actions"));

        Assert.That(sim.HasRealm("Migration2"), Is.True);
        Assert.That(migration.UserCount, Is.GreaterThan(0));
        Assert.That(profile["unmanagedAttributePolicy"]!.GetValue<string>(), Is.EqualTo("ENABLED"));
        Assert.That(idps.AsArray().Select(i => i!["providerId"]!.GetValue<string>()), Does.Contain("gitlab"));
        Assert.That(actions.AsArray().Select(a => a!["alias"]!.GetValue<string>()), Does.Contain("TERMS_AND_CONDITIONS"));
        Assert.That(sim.AdminClientId, Is.EqualTo("idpbridge-admin"));
    }

    [Test]
    public async Task LoadRealmExport_QuickstartsImport_UsesDefaultProfile()
    {
        using var sim = KeycloakSimulator.Start();
        var before = sim.RealmNames.Count;
        SimulatorSeeding.LoadRealmExport(sim, SharedData.KeycloakFile("realm-exports", "keycloak-quickstarts-js-spa-realm-import.json"));
        using var http = await AdminClientAsync(sim);

        var name = sim.RealmNames.Single(n => n != "master");
        var profile = await GetJsonAsync(http, Admin(sim, name, "/users/profile"));
        var users = await GetJsonAsync(http, Admin(sim, name, "/users"));

        Assert.That(sim.RealmNames.Count, Is.EqualTo(before + 1));
        Assert.That(profile["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
        Assert.That(users.AsArray().Count, Is.EqualTo(sim.Realm(name).GetUsers().Count(u => u["serviceAccountClientId"] is null)));
    }

    [TestCase("a/b c")]
    [TestCase("réalm ñ")]
    public async Task EscapedRealmName_SlashSpaceNonAscii_Routed(string name)
    {
        using var sim = KeycloakSimulator.Start();
        var realm = sim.CreateRealm(name);
        realm.AddUser("ana");
        using var http = await AdminClientAsync(sim);

        var users = await GetJsonAsync(http, Admin(sim, name, "/users"));
        var rep = await GetJsonAsync(http, Admin(sim, name));

        Assert.That(users.AsArray().Single()!["username"]!.GetValue<string>(), Is.EqualTo("ana"));
        Assert.That(rep["realm"]!.GetValue<string>(), Is.EqualTo(name));
        var recorded = sim.Requests.Last();
        Assert.That(recorded.RawPath, Is.EqualTo("/admin/realms/" + Uri.EscapeDataString(name)));
        Assert.That(recorded.Path, Is.EqualTo("/admin/realms/" + name));
    }

    [Test]
    public async Task AuthPrefix_EveryRouteUnderIt()
    {
        using var sim = KeycloakSimulator.Start(new SimulatorOptions { PathPrefix = "/auth" });
        sim.CreateRealm("externos").AddUser("ana");
        using var http = await AdminClientAsync(sim);

        var users = await GetJsonAsync(http, Admin(sim, "externos", "/users"));
        var (withoutPrefix, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url.Replace("/auth", "", StringComparison.Ordinal) + "/admin/realms/externos/users");

        Assert.That(sim.Url, Does.EndWith("/auth"));
        Assert.That(users.AsArray(), Has.Count.EqualTo(1));
        Assert.That(withoutPrefix, Is.EqualTo(404));
        // Deliberately off the prefix: the "no such route" it reports is expected here.
        Assert.That(ContractLedger.TakeAll(), Is.EqualTo(new[] { "GET /admin/realms/externos/users: no such route" }));
        Assert.That(sim.Requests.First().RawPath, Is.EqualTo("/auth/realms/master/protocol/openid-connect/token"));
    }
}
