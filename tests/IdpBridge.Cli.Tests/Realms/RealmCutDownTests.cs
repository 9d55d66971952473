using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary>
/// A client without <c>view-realm</c> gets from Keycloak 26.7.3 a 200 with a cut-down realm (no id, no settings):
/// plan, export and audit refuse it, naming the role, instead of planning every setting as a change, exporting an
/// empty realm or auditing a realm without events.
/// </summary>
public sealed class RealmCutDownTests
{
    [TestCase("realm", "plan", "{config}")]
    [TestCase("realm", "export", "externos")]
    [TestCase("realm", "audit", "externos")]
    public async Task Command_ClientWithoutViewRealm_RefusesTheCutDownRealmNamingTheRole(string group, string command, string argument)
    {
        using var harness = new CliHarness();
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        harness.Settings["IdpBridge:Keycloak:Realm"] = "externos";
        harness.Settings["IdpBridge:Keycloak:ClientId"] = "reader";
        harness.Settings["IdpBridge:Keycloak:ClientSecret"] = harness.Simulator.AddServiceAccountClient("externos", "reader", "view-users", "view-events");
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync(group, command, argument == "{config}" ? CliHarness.DemoRealm : argument);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith(
                "error: Keycloak answered 200 OK to GET /admin/realms/externos: only the cut-down realm a client without view-realm may read " +
                "(no id, no settings). The client IdpBridge signs in with (IdpBridge:Keycloak:ClientId) lacks the realm-management role view-realm"));
            Assert.That(run.Output, Does.Not.Contain("to change"));
            Assert.That(run.Error, Does.Not.Contain("   at "));
            Assert.That(harness.Writes, Is.Empty);
        });
    }
}
