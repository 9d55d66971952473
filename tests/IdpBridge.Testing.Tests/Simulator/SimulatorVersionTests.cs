using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>The older 26.x answers the simulator keeps behind <see cref="SimulatorOptions.KeycloakVersion"/> (docs/keycloak-facts.md, seen on 26.4.7).</summary>
public sealed class SimulatorVersionTests
{
    [Test]
    public async Task ListUsers_Keycloak26_4_BriefItemsKeepActionsAndEveryItemCarriesTheProfileMetadata()
    {
        using var sim = KeycloakSimulator.Start(new SimulatorOptions { KeycloakVersion = SimulatorOptions.Keycloak26_4 });
        var realm = sim.CreateRealm("externos");
        realm.AddUser("ana", "ana@example.org", "Ana", "López", ["VERIFY_EMAIL"]);
        using var http = await AdminClientAsync(sim);

        var brief = (JsonObject)(await GetJsonAsync(http, Admin(sim, "externos", "/users?briefRepresentation=true")))[0]!;
        var full = (JsonObject)(await GetJsonAsync(http, Admin(sim, "externos", "/users")))[0]!;
        var single = (JsonObject)await GetJsonAsync(http, Admin(sim, "externos", $"/users/{brief["id"]!.GetValue<string>()}"));

        var metadata = full["userProfileMetadata"]!["attributes"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(brief["requiredActions"]!.AsArray().Select(action => action!.GetValue<string>()), Is.EqualTo(new[] { "VERIFY_EMAIL" }));
            Assert.That(brief.Select(property => property.Key), Does.Contain("totp").And.Contain("notBefore").And.Contain("disableableCredentialTypes"));
            Assert.That(brief.ContainsKey("userProfileMetadata"), Is.True);
            Assert.That(metadata.Select(attribute => attribute!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(metadata.Select(attribute => attribute!["readOnly"]!.GetValue<bool>()), Has.All.False, "an admin edits all four");
            Assert.That(single.ContainsKey("userProfileMetadata"), Is.False, "a single user is read as on 26.7");
        });
    }

    [Test]
    public async Task ListUsers_Keycloak26_7_NoMetadataAndBriefItemsWithoutActions()
    {
        using var sim = KeycloakSimulator.Start();
        var realm = sim.CreateRealm("externos");
        realm.AddUser("ana", "ana@example.org", "Ana", "López", ["VERIFY_EMAIL"]);
        using var http = await AdminClientAsync(sim);

        var brief = (JsonObject)(await GetJsonAsync(http, Admin(sim, "externos", "/users?briefRepresentation=true")))[0]!;
        var full = (JsonObject)(await GetJsonAsync(http, Admin(sim, "externos", "/users")))[0]!;

        Assert.Multiple(() =>
        {
            Assert.That(brief.ContainsKey("requiredActions"), Is.False);
            Assert.That(full.ContainsKey("userProfileMetadata"), Is.False);
        });
    }

    [Test]
    public void Start_UnknownVersion_RefusedWithTheVersionsItKnows()
    {
        var failure = Assert.Throws<ArgumentException>(() => KeycloakSimulator.Start(new SimulatorOptions { KeycloakVersion = "25.0.0" }));

        Assert.That(failure!.Message, Does.Contain("26.7.3 or 26.4.7, not '25.0.0'"));
    }
}
