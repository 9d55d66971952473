using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary><c>IdpBridge:Provisioning:SecretHashKey</c> from the CLI's configuration: warned about when unset, used when set, never printed.</summary>
public sealed class RealmSecretHashKeyTests
{
    private const string Setting = "IdpBridge:Provisioning:SecretHashKey";
    private const string Key = "cli-k3y-0f-at-least-32-chars-71d0a9e";

    [Test]
    public async Task Plan_WithoutKey_WarnsOnceOnTheErrorStream()
    {
        using var harness = new CliHarness();

        var text = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm);
        var json = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(text.Error.Split('\n').Count(line => line.Contains("guesses of a secret offline", StringComparison.Ordinal)), Is.EqualTo(1), text.ToString());
            Assert.That(text.Error, Does.Contain("warning: the hashes IdpBridge stores in Keycloak").And.Contain("IdpBridge__Provisioning__SecretHashKey"));
            Assert.That(text.Output, Does.Not.Contain("guesses of a secret offline"), "the warning goes to the error stream");
            Assert.That(JsonNode.Parse(json.Output)!["warnings"]!.AsArray().Count, Is.EqualTo(1), json.ToString());
        });
    }

    [Test]
    public async Task Apply_WithKey_NoWarningKeyedHashTheKeyNeverPrintedAndTheSecondApplyWritesNothing()
    {
        using var harness = new CliHarness();
        harness.Settings[Setting] = Key;

        var first = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        harness.Simulator.ClearRequests();
        var second = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve", "--output", "json");

        var google = harness.Simulator.Realm("externos").GetIdentityProviders().Single(provider => provider["alias"]!.GetValue<string>() == "google");
        var everything = string.Join("\n", first.Output, first.Error, second.Output, second.Error);
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(first.Error, Does.Not.Contain("guesses of a secret offline"));
            Assert.That(google["config"]!["idpbridge.clientSecretHash"]!.GetValue<string>(), Does.StartWith("hmac-sha256-keyed:"));
            Assert.That(harness.Writes, Is.Empty, "same key: nothing to write");
            Assert.That(everything, Does.Not.Contain(Key));
            Assert.That(harness.Simulator.Requests.Select(request => request.Body ?? ""), Has.None.Contain(Key));
        });
    }

    [Test]
    public async Task Plan_ShortKey_RefusedNamingTheSettingWithoutEchoingIt()
    {
        using var harness = new CliHarness();
        harness.Settings[Setting] = "short-key-4e1b";

        var run = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("IdpBridge:Provisioning:SecretHashKey must be at least 32 characters"));
            Assert.That(run.Output + run.Error, Does.Not.Contain("short-key-4e1b"));
            Assert.That(harness.Simulator.Requests.Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal)), Is.Empty);
        });
    }
}
