using IdpBridge.Cli.Tests.Realms;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Rollouts;

/// <summary><c>rollout status</c> reads the store only: it needs no Keycloak settings and sends Keycloak nothing.</summary>
public sealed class RolloutStatusOfflineTests
{
    private static string Demo => Path.Combine(CliHarness.DemoRealm, "policies", "privacy");

    [Test]
    public async Task Status_WithoutAnyKeycloakSetting_ShowsTheRollout()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        // Admin API mode: in bridge mode `rollout start` writes no user and stores no rollout.
        Assert.That((await harness.RunAsync("realm", "apply", harness.AdminApiDemoRealm(), "--auto-approve")).ExitCode, Is.Zero);
        foreach (var version in new[] { "v1", "v2" })
        {
            var publish = await harness.RunAsync("policy", "publish", Path.Combine(Demo, version, "es.md"), Path.Combine(Demo, version, "en.md"), "--realm", "externos");
            Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        }

        harness.Simulator.Realm("externos").SeedUsers(3);
        var start = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");
        Assert.That(start.ExitCode, Is.Zero, start.ToString());
        foreach (var key in harness.Settings.Keys.Where(key => key.StartsWith("IdpBridge:Keycloak:", StringComparison.Ordinal)).ToList())
        {
            harness.Settings.Remove(key);
        }

        harness.Simulator.ClearRequests();

        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(status.ExitCode, Is.Zero, status.ToString());
            Assert.That(status.Output, Does.Contain("Rollout of externos/privacy version 2: completed"));
            Assert.That(harness.Simulator.Requests, Is.Empty, "nothing asked of Keycloak");
        });
    }
}
