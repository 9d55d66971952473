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
        // Rollouts are Admin API mode: the demo realm's documented variant, on a Keycloak without the extension.
        var apply = await harness.RunAsync("realm", "apply", harness.AdminApiDemoRealm(), "--auto-approve");
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

        var run = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--max-in-flight", "4");

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

        var run = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--output", "json");

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

        var run = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");
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

    [Test]
    public async Task Start_TermsStepDisabledWithJsonOutput_TheErrorCarriesTheCodeAndTheFacts()
    {
        realm.SeedUsers(3);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: false);

        var run = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--output", "json");

        var json = JsonNode.Parse(run.Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That((string?)json["code"], Is.EqualTo("terms_action_disabled"));
            Assert.That(json["facts"]!.ToJsonString(), Is.EqualTo("""{"realm":"externos"}"""));
            Assert.That((string?)json["error"], Does.StartWith("TERMS_AND_CONDITIONS is disabled in realm 'externos'").And.EndWith("run: idpbridge realm apply"));
        });
    }

    [TestCase("--max-in-flight", "0", "--max-in-flight must be between 1 and 1000, not 0.", 64)]
    [TestCase("--max-rps", "-5", "--max-rps must be 0 or more, not -5.", 64)]
    [TestCase("--version", "7", "has no version 7", 1)]
    public async Task Start_BadInput_RefusedWithTheReasonAndNothingStartedOrWritten(string option, string value, string expected, int exitCode)
    {
        realm.SeedUsers(10);
        harness.Simulator.ClearRequests();

        var run = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", option, value);
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");

        Assert.Multiple(() =>
        {
            // Out-of-range throttle settings are usage errors (64), found before anything is read; a version the store lacks is not.
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
            Assert.That(run.Error, Does.Contain(expected));
            Assert.That(harness.Writes, Is.Empty);
            Assert.That(status.Error, Does.Contain("has no rollout yet"));
        });
    }

    [Test]
    public async Task Status_AfterARunKeycloakAnswered503_ShowsTheFixedCapItsHalvingAndWhyThenTheNextRunsCap()
    {
        realm.SeedUsers(20);
        var detached = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--detach");
        harness.Simulator.Faults.FailNext(1_000, 503, method: "GET");
        var stopped = await harness.RunAsync("rollout", "resume", "--realm", "externos", "--max-in-flight", "8", "--verbose");
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");
        var json = await harness.RunAsync("rollout", "status", "--realm", "externos", "--output", "json");
        harness.Simulator.Faults.Reset();
        var finished = await harness.RunAsync("rollout", "resume", "--realm", "externos", "--max-in-flight", "8");
        var after = await harness.RunAsync("rollout", "status", "--realm", "externos");

        var line = System.Text.RegularExpressions.Regex.Match(status.Output,
            @"  in flight  (\d+) \(fixed at 8; last change (\d+) → \1 at \d\d:\d\d:\d\dZ: Keycloak answered 503 \(unavailable\)(; 1 change|; \d+ changes) in the run\)\n");
        var inFlight = JsonNode.Parse(json.Output)!["inFlight"]!;
        Assert.Multiple(() =>
        {
            Assert.That(detached.ExitCode, Is.Zero, detached.ToString());
            Assert.That(stopped.ExitCode, Is.EqualTo(3), stopped.ToString());
            Assert.That(stopped.Error, Does.Contain("throttle: in flight 8 → 4: Keycloak answered 503 (unavailable)"), "--verbose says each change in the same words");
            Assert.That(line.Success, Is.True, "status shows the cap, fixed, and its halving by the 503s: " + status.Output);
            Assert.That(int.Parse(line.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(2 * int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), "halved");
            Assert.That((string?)inFlight["mode"], Is.EqualTo("fixed"));
            Assert.That((int?)inFlight["ceiling"], Is.EqualTo(8));
            Assert.That((int?)inFlight["cap"], Is.EqualTo((int?)inFlight["lastChange"]!["to"]));
            Assert.That((string?)inFlight["lastChange"]!["reason"], Is.EqualTo("unavailable_503"));
            Assert.That(inFlight["lastChange"]!["latencyMs"], Is.Null);
            Assert.That((int?)inFlight["changes"], Is.GreaterThanOrEqualTo(1));
            Assert.That(finished.ExitCode, Is.Zero, finished.ToString());
            Assert.That(after.Output, Does.Contain("  in flight  8 (fixed at 8; unchanged)\n"), "the next run's own cap, which never changed");
        });
    }

    [Test]
    public async Task CancelThenResume_TheRecordStaysConsistentAndResumeFinishes()
    {
        realm.SeedUsers(60);
        var detached = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--detach");
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
        var detached = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--detach", "--output", "json");
        var id = JsonNode.Parse(detached.Output)!["id"]!.GetValue<long>();
        await using (var services = new ServiceCollection()
            .AddIdpBridgeCore()
            .Configure<Core.Storage.IdpBridgeStorageOptions>(options => options.SqlitePath = harness.Settings["IdpBridge:Storage:SqlitePath"]!)
            .BuildServiceProvider())
        {
            var store = services.GetRequiredService<IRolloutStore>();
            var now = TimeProvider.System.GetUtcNow();
            Assert.That(await store.TryAcquireLeaseAsync(id, new LeaseOwner("service-host/1/abcd1234"), now, now.AddMinutes(1)), Is.True);
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
        var detached = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--detach");
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

    [Test]
    public async Task Status_UsersKeycloakRefused_ListedInFullWithFieldReasonUsernameIdAndWhatToDo()
    {
        realm.SeedUsers(40);
        var refused = Enumerable.Range(1, 25).Select(i => Legacy($"user{i:D6}", lastName: $"Pérez\n{i}")).ToList();
        var email = Legacy("user000030", email: "user30@@example");
        var start = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");

        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");
        var json = JsonNode.Parse((await harness.RunAsync("rollout", "status", "--realm", "externos", "--output", "json")).Output)!;

        var failures = json["failures"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(start.Output, Does.Contain("...and 6 more failed users: idpbridge rollout users --realm externos --policy privacy --version 2"));
            Assert.That(status.ExitCode, Is.Zero, status.ToString());
            Assert.That(status.Output, Does.Contain("26 failed"));
            foreach (var id in refused)
            {
                Assert.That(status.Output, Does.Contain($"  failed     {Name(id)} ({id}): 400: lastName error-person-name-invalid-character"));
            }

            Assert.That(status.Output, Does.Contain($"  failed     user000030 ({email}): 400: email error-invalid-email"));
            Assert.That(status.Output, Does.Not.Contain("more failed users"));
            Assert.That(status.Error, Does.Contain("Fix each one in Keycloak's admin console")
                .And.Contain("run: idpbridge rollout retry --realm externos --policy privacy --version 2")
                .And.Contain("idpbridge rollout users --realm externos --policy privacy --version 2 --format csv --file refused.csv"));
            Assert.That(failures, Has.Count.EqualTo(26));
            var one = failures.Single(failure => failure!["userId"]!.GetValue<string>() == email)!;
            Assert.That(one["username"]!.GetValue<string>(), Is.EqualTo("user000030"));
            Assert.That(one["errors"]!.ToJsonString(), Is.EqualTo("""[{"field":"email","errorMessage":"error-invalid-email","params":["email","user30@@example"]}]"""));
            Assert.That(one["toFix"]!.GetValue<string>(), Is.EqualTo("the user's email"));
        });
    }

    [Test]
    public async Task Users_CsvToAFile_OneRowPerRefusedAttributeWithAByteOrderMark()
    {
        realm.SeedUsers(10);
        var both = Legacy("user000002", email: "bad", firstName: "=cmd|' /C calc'!A0");
        var start = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");
        var file = Path.Combine(folder, "refused.csv");

        var users = await harness.RunAsync("rollout", "users", "--realm", "externos", "--format", "csv", "--file", file);

        var bytes = await File.ReadAllBytesAsync(file);
        var lines = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(users.ExitCode, Is.Zero, users.ToString());
            Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(lines[0], Is.EqualTo("user_id,username,outcome,field,error,params,reason,to_fix,remarked,updated_at_utc"));
            Assert.That(lines[1..], Is.EqualTo(new[]
            {
                $"{both},user000002,failed,email,error-invalid-email,\"[\"\"email\"\",\"\"bad\"\"]\"," +
                "400: email error-invalid-email; firstName error-person-name-invalid-character,the user's email and first name,0,",
                $"{both},user000002,failed,firstName,error-person-name-invalid-character,\"[\"\"firstName\"\"]\"," +
                "400: email error-invalid-email; firstName error-person-name-invalid-character,the user's email and first name,0,",
            }));
            Assert.That(users.Error, Does.Contain("1 failed users in the rollout of externos/privacy version 2.").And.Contain("idpbridge rollout retry"));
        });
    }

    [Test]
    public async Task Retry_AfterTheAdministratorFixedOneUser_MarksItAndListsTheOneStillRefused()
    {
        realm.SeedUsers(20);
        var fixedLater = Legacy("user000003", lastName: "Pérez\"");
        var stillBad = Legacy("user000004", firstName: "Ana\n");
        var start = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");
        Legacy("user000003", lastName: "Pérez");
        harness.Simulator.ClearRequests();

        var retry = await harness.RunAsync("rollout", "retry", "--realm", "externos");
        var json = JsonNode.Parse((await harness.RunAsync("rollout", "status", "--realm", "externos", "--output", "json")).Output)!;

        Assert.Multiple(() =>
        {
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(retry.ExitCode, Is.Zero, retry.ToString());
            Assert.That(retry.Output, Does.Contain(
                "Retried 2 refused users of externos/privacy version 2: 1 marked, 0 needed nothing more (accepted meanwhile or carry the action), 1 refused again."));
            Assert.That(retry.Output, Does.Contain($"  failed     user000004 ({stillBad}): 400: firstName error-person-name-invalid-character"));
            Assert.That(Carries(fixedLater), Is.True);
            Assert.That(Carries(stillBad), Is.False);
            Assert.That(harness.Writes.Select(write => $"{write.Method} {write.Path} {write.StatusCode}"), Is.EquivalentTo(new[]
            {
                $"PUT /admin/realms/externos/users/{fixedLater} 204", $"PUT /admin/realms/externos/users/{stillBad} 400",
            }));
            Assert.That(json["counts"]!["failed"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(json["counts"]!["marked"]!.GetValue<long>(), Is.EqualTo(19));
        });
    }

    [Test]
    public async Task Exempt_ByUsernameAfterTheRollout_RemovesTheActionAndStatusShowsWhoWhenWhy()
    {
        realm.SeedUsers(10);
        var start = await harness.RunAsync("rollout", "start", "--yes", "--realm", "externos");
        var robot = realm.FindUserId("user000005")!;

        var exempt = await harness.RunAsync("rollout", "exempt", "--realm", "externos", "--user", "user000005", "--reason", "monitoring robot");
        var status = await harness.RunAsync("rollout", "status", "--realm", "externos");
        var unknown = await harness.RunAsync("rollout", "exempt", "--realm", "externos", "--user", "nobody", "--reason", "x");

        Assert.Multiple(() =>
        {
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(exempt.ExitCode, Is.Zero, exempt.ToString());
            Assert.That(exempt.Output.Trim(), Is.EqualTo($"Exempted user000005 ({robot}) and removed the TERMS_AND_CONDITIONS this rollout had added."));
            Assert.That(Carries(robot), Is.False);
            Assert.That(status.Output, Does.Contain("9 marked").And.Contain("1 exempted"));
            Assert.That(status.Output, Does.Match($@"  exempted   user000005 \({robot}\): Exempted by cli \(.+\) on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC: monitoring robot"));
            Assert.That(unknown.ExitCode, Is.EqualTo(1));
            Assert.That(unknown.Error.Trim(), Is.EqualTo("error: Realm 'externos' has no user 'nobody' (by id or username)."));
        });
    }

    [TestCase("users", "--format csv --file refused.csv")]
    [TestCase("retry", "idpbridge rollout retry --realm externos --version 2")]
    [TestCase("exempt", "the closing sweep puts back an action that vanished")]
    public async Task Help_FollowUpCommands_TeachWithAnExample(string command, string expected)
    {
        var help = await harness.RunAsync("rollout", command, "--help");

        Assert.Multiple(() =>
        {
            Assert.That(help.ExitCode, Is.Zero);
            Assert.That(help.Output, Does.Contain(expected));
            Assert.That(help.Output, Does.Contain("Example: idpbridge rollout " + command));
        });
    }

    /// <summary>Stores a user's values as a partial import or an LDAP sync leaves them, unvalidated; returns the id.</summary>
    private string Legacy(string username, string? email = null, string? firstName = null, string? lastName = null)
    {
        var id = realm.FindUserId(username)!;
        var user = realm.GetUser(id)!;
        realm.DeleteUser(id);
        user["email"] = email ?? user["email"]!.GetValue<string>();
        user["firstName"] = firstName ?? user["firstName"]!.GetValue<string>();
        user["lastName"] = lastName ?? user["lastName"]!.GetValue<string>();
        realm.AddUser(user);
        return id;
    }

    private string Name(string id) => realm.GetUser(id)!["username"]!.GetValue<string>();

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
