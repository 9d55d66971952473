using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Rollouts;

/// <summary>
/// <c>rollout start</c> asks before a new rollout marks every user (how many, which version); <c>--yes</c> skips the
/// question, and without a terminal it is required (exit 64). Nothing is asked where nothing is marked.
/// </summary>
public sealed class RolloutConfirmationTests
{
    private static string Demo => Path.Combine(CliHarness.DemoRealm, "policies", "privacy");

    private CliHarness harness = null!;

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Start_NoTerminalWithoutYes_RefusedAsAUsageErrorSayingToPassYes()
    {
        var realm = await AdminApiRealmAsync(users: 25);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos");
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.StartWith("error: rollout start marks the 25 users of realm 'externos'")
                .And.Contain("privacy version 2 (material)").And.Contain("run again with --yes").And.Contain("Nothing was started."));
            Assert.That(run.Output, Is.Empty);
            Assert.That(harness.Writes, Is.Empty, "no user and no realm written");
            Assert.That(status.Error, Does.Contain("has no rollout yet"));
            Assert.That(Marked(realm), Is.Zero);
        });
    }

    [TestCase("n")]
    [TestCase("")]
    [TestCase("yess")]
    public async Task Start_AtATerminalAnsweredOtherThanYes_NothingStarted(string answer)
    {
        var realm = await AdminApiRealmAsync(users: 12);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync(interactive: true, input: answer + "\n", "rollout", "start", "--realm", "externos", "--version", "2");
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("Rollout start marks the 12 users of realm 'externos'").And.Contain("privacy version 2 (material)")
                .And.Contain("Start it? [y/N] ").And.Contain("Not started; no user was written."));
            Assert.That(harness.Writes, Is.Empty);
            Assert.That(status.Error, Does.Contain("has no rollout yet"));
            Assert.That(Marked(realm), Is.Zero);
        });
    }

    [TestCase("y")]
    [TestCase("YES")]
    public async Task Start_AtATerminalAnsweredYes_RunsToTheEnd(string answer)
    {
        var realm = await AdminApiRealmAsync(users: 12);

        var run = await harness.RunAsync(interactive: true, input: answer + "\n", "rollout", "start", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("Start it? [y/N] ").And.Contain("Started the rollout of externos/privacy version 2 (12 users)"));
            Assert.That(Marked(realm), Is.EqualTo(12));
        });
    }

    [Test]
    public async Task Start_WithYes_AsksNothingAndRuns()
    {
        var realm = await AdminApiRealmAsync(users: 8);

        var run = await harness.RunAsync(interactive: true, input: "", "rollout", "start", "-y", "--realm", "externos", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Not.Contain("[y/N]"));
            Assert.That(JsonNode.Parse(run.Output)!["status"]!.GetValue<string>(), Is.EqualTo("completed"));
            Assert.That(Marked(realm), Is.EqualTo(8));
        });
    }

    [Test]
    public async Task Start_VersionWithARollout_ContinuesItWithoutAsking()
    {
        var realm = await AdminApiRealmAsync(users: 6);
        var detached = await harness.RunAsync("rollout", "start", "--yes", "--detach", "--realm", "externos");
        Assert.That(detached.ExitCode, Is.Zero, detached.ToString());

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("was started").And.Not.Contain("--yes"));
            Assert.That(run.Output, Does.Contain("completed"));
            Assert.That(Marked(realm), Is.EqualTo(6));
        });
    }

    [Test]
    public async Task Start_BridgeRealmWithoutYes_WritesNoUserAndSaysSoWithoutAsking()
    {
        harness = new CliHarness().UseTemporaryStore();
        Assert.That((await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve")).ExitCode, Is.Zero);
        await PublishAsync("v1", "v2");
        var realm = harness.Simulator.Realm("externos");
        realm.SeedUsers(5);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("uses IdpBridge's required-action bridge").And.Contain("no user was written"));
            Assert.That(run.Error, Does.Not.Contain("--yes").And.Not.Contain("[y/N]"));
            Assert.That(harness.Writes.Where(request => request.Path.Contains("/users/", StringComparison.Ordinal)), Is.Empty);
            Assert.That(Marked(realm), Is.Zero);
        });
    }

    private async Task<SimulatedRealm> AdminApiRealmAsync(int users)
    {
        harness = new CliHarness().UseTemporaryStore();
        var apply = await harness.RunAsync("realm", "apply", harness.AdminApiDemoRealm(), "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        await PublishAsync("v1", "v2");
        var realm = harness.Simulator.Realm("externos");
        realm.SeedUsers(users);
        return realm;
    }

    private async Task PublishAsync(params string[] versions)
    {
        foreach (var version in versions)
        {
            var publish = await harness.RunAsync("policy", "publish", Path.Combine(Demo, version, "es.md"), Path.Combine(Demo, version, "en.md"), "--realm", "externos");
            Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        }
    }

    private static int Marked(SimulatedRealm realm) => realm.GetUsers()
        .Count(user => user["requiredActions"]?.AsArray().Any(action => action!.GetValue<string>() == SimulatedRealm.TermsAction) == true);
}
