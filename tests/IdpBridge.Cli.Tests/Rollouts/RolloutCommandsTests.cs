using System.Diagnostics;
using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Rollouts;

public sealed class RolloutCommandsTests
{
    private static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    private CliHarness harness = null!;
    private string folder = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public async Task Start()
    {
        harness = new CliHarness(new SimulatorOptions { MaxRequestLogCount = 100_000 });
        folder = Path.Combine(Path.GetTempPath(), $"idpbridge-cli-{Guid.NewGuid():N}");
        harness.Settings["IdpBridge:Storage:SqlitePath"] = Path.Combine(folder, "idpbridge.db");
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        foreach (var version in new[] { "v1", "v2" })
        {
            var publish = await harness.RunAsync("policy", "publish", Path.Combine(Demo, version, "es.md"), Path.Combine(Demo, version, "en.md"), "--realm", "externos");
            Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        }

        realm = harness.Simulator.Realm("externos");
    }

    [TearDown]
    public void Stop()
    {
        harness.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Start_RunsToTheEndWithPlainProgressAndASummary()
    {
        realm.SeedUsers(250);

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos", "--max-in-flight", "4");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Error, Does.Contain("Started the rollout of externos/privacy version 2 (250 users)"));
            Assert.That(run.Error, Does.Contain("marking ").And.Not.Contain("\r"), "plain progress lines when not on a terminal");
            Assert.That(run.Output, Does.Contain("Rollout of externos/privacy version 2: completed, phase done."));
            Assert.That(run.Output, Does.Contain("250 handled of about 250: 250 marked, 0 already pending"));
            Assert.That(Seeded().Where(id => !Carries(id)), Is.Empty);
        });
    }

    [Test]
    public async Task Start_JsonOutput_GivesTheCountsForCi()
    {
        realm.SeedUsers(40);
        realm.SetRequiredActions(realm.FindUserId("user000001")!, SimulatedRealm.TermsAction);

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos", "--output", "json");

        var json = JsonNode.Parse(run.Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("completed"));
            Assert.That(json["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(json["counts"]!["marked"]!.GetValue<long>(), Is.EqualTo(39));
            Assert.That(json["counts"]!["alreadyPending"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(json["run"]!["end"]!.GetValue<string>(), Is.EqualTo("completed"));
        });
    }

    [Test]
    public async Task Start_TermsStepDisabled_RefusedWithTheFixAndNothingWritten()
    {
        realm.SeedUsers(10);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: false);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos");
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.StartWith("error: TERMS_AND_CONDITIONS is disabled in realm 'externos'").And.Contain("idpbridge realm apply"));
            Assert.That(harness.Writes, Is.Empty);
            Assert.That(status.ExitCode, Is.EqualTo(1));
            Assert.That(status.Error, Does.Contain("has no rollout yet"));
        });
    }

    [TestCase("--max-in-flight", "0", "MaxInFlight must be between 1 and 1000")]
    [TestCase("--max-rps", "-5", "MaxRequestsPerSecond must be 0 (no limit) or positive")]
    [TestCase("--version", "7", "has no version 7")]
    public async Task Start_BadInput_RefusedWithTheReasonAndNothingStartedOrWritten(string option, string value, string expected)
    {
        realm.SeedUsers(10);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync("rollout", "start", "--realm", "externos", option, value);
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
            Assert.That(harness.Writes, Is.Empty);
            Assert.That(status.Error, Does.Contain("has no rollout yet"));
        });
    }

    [Test]
    public async Task CancelThenResume_TheRecordStaysConsistentAndResumeFinishes()
    {
        realm.SeedUsers(60);
        var detached = await harness.RunAsync("rollout", "start", "--realm", "externos", "--detach");
        var cancel = await harness.RunAsync("rollout", "cancel", "--realm", "externos");
        var cancelledStatus = await harness.RunAsync("rollout", "status", "--realm", "externos", "--output", "json");
        var resume = await harness.RunAsync("rollout", "resume", "--realm", "externos");
        var again = await harness.RunAsync("rollout", "cancel", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(detached.ExitCode, Is.Zero, detached.ToString());
            Assert.That(detached.Output, Does.Contain("running, phase scan"));
            Assert.That(cancel.ExitCode, Is.Zero, cancel.ToString());
            Assert.That(JsonNode.Parse(cancelledStatus.Output)!["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
            Assert.That(JsonNode.Parse(cancelledStatus.Output)!["message"]!.GetValue<string>(), Does.StartWith("Cancelled from the command line"));
            Assert.That(resume.ExitCode, Is.Zero, resume.ToString());
            Assert.That(resume.Output, Does.Contain("completed").And.Contain("60 marked"));
            Assert.That(again.ExitCode, Is.EqualTo(1));
            Assert.That(again.Error, Does.Contain("is completed: there is nothing to cancel"));
        });
    }

    [Test]
    public async Task Resume_WhileAnotherExecutorHoldsIt_SaysWhoAndWritesNothing()
    {
        realm.SeedUsers(20);
        var detached = await harness.RunAsync("rollout", "start", "--realm", "externos", "--detach", "--output", "json");
        var id = JsonNode.Parse(detached.Output)!["id"]!.GetValue<long>();
        await using (var services = new ServiceCollection()
            .AddIdpBridgeStorage(options => options.SqlitePath = harness.Settings["IdpBridge:Storage:SqlitePath"]!)
            .BuildServiceProvider())
        {
            var store = services.GetRequiredService<IRolloutStore>();
            var now = TimeProvider.System.GetUtcNow();
            Assert.That(await store.TryAcquireLeaseAsync(id, "service-host/1/abcd1234", now, now.AddMinutes(1)), Is.True);
        }

        harness.Simulator.ClearRequests();
        var resume = await harness.RunAsync("rollout", "resume", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(resume.ExitCode, Is.EqualTo(3), resume.ToString());
            Assert.That(resume.Output, Does.Contain("executor   service-host/1/abcd1234"));
            Assert.That(resume.Error, Does.Contain("Another executor").And.Contain("idpbridge rollout status --realm externos --policy privacy --version 2"));
            Assert.That(harness.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task Resume_AfterTheProcessIsKilled_EveryUserMarkedExactlyOnce()
    {
        const int Users = 3_000;
        realm.SeedUsers(Users);
        var alreadyPending = realm.GetUsers().Count(user => user["requiredActions"]!.AsArray().Any(action => action!.GetValue<string>() == SimulatedRealm.TermsAction));
        harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(4);
        var detached = await harness.RunAsync("rollout", "start", "--realm", "externos", "--detach");
        Assert.That(detached.ExitCode, Is.Zero, detached.ToString());

        // A real process, killed with SIGKILL in the middle of its writes: nothing it does after that runs.
        using (var process = StartCli("rollout", "resume", "--realm", "externos", "--max-in-flight", "4"))
        {
            var deadline = Stopwatch.StartNew();
            while (Puts().Count < Users / 4 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(20);
            }

            process.Kill();
            await process.WaitForExitAsync();
            if (process.ExitCode == 0)
            {
                Assert.Fail("The rollout ended before it could be killed: " + await process.StandardError.ReadToEndAsync());
            }
        }

        var markedBeforeKill = Puts().Count;
        harness.Simulator.Faults.Latency = TimeSpan.Zero;
        var resume = await harness.RunAsync("rollout", "resume", "--realm", "externos", "--output", "json");

        var json = JsonNode.Parse(resume.Output)!;
        var puts = Puts();
        Assert.Multiple(() =>
        {
            Assert.That(markedBeforeKill, Is.GreaterThanOrEqualTo(Users / 4).And.LessThan(Users - alreadyPending));
            Assert.That(resume.ExitCode, Is.Zero, resume.ToString());
            Assert.That(puts, Is.Unique, "a user was written twice");
            Assert.That(Seeded().Where(id => !Carries(id) && realm.GetUser(id)!["attributes"]?["terms_and_conditions"] is null), Is.Empty, "a user was missed");
            Assert.That(json["counts"]!["marked"]!.GetValue<long>(), Is.EqualTo(puts.Count), "the record disagrees with what Keycloak received");
            Assert.That(json["counts"]!["scanned"]!.GetValue<long>(), Is.EqualTo(Users));
            Assert.That(json["counts"]!["alreadyPending"]!.GetValue<long>(), Is.EqualTo(alreadyPending));
        });
    }

    private List<string> Puts() =>
        [.. harness.Simulator.Requests
            .Where(request => request.Method == "PUT" && request.StatusCode < 300 && request.Path.StartsWith("/admin/realms/externos/users/", StringComparison.Ordinal))
            .Select(request => request.Path[(request.Path.LastIndexOf('/') + 1)..])];

    /// <summary>The seeded users (not the demo realm's service account, which a rollout leaves alone).</summary>
    private IEnumerable<string> Seeded() =>
        realm.GetUsers().Where(user => user["username"]!.GetValue<string>().StartsWith("user", StringComparison.Ordinal)).Select(user => user["id"]!.GetValue<string>());

    private bool Carries(string userId) =>
        realm.GetUser(userId)!["requiredActions"]!.AsArray().Any(action => action!.GetValue<string>() == SimulatedRealm.TermsAction);

    /// <summary>Starts <c>idpbridge</c> as its own process, with the harness's settings in its environment.</summary>
    private Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        // The CLI's own build output (same configuration as this test's), with its own dependency manifest.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        start.ArgumentList.Add(Path.Combine(SharedData.RepositoryRoot, "src", "IdpBridge.Cli", "bin", configuration, "net10.0", "idpbridge.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in harness.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("idpbridge did not start.");
    }
}
