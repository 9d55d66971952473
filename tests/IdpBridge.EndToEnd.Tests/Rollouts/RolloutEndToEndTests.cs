using System.Diagnostics;
using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using IdpBridge.Testing.RealKeycloak;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Rollouts;

/// <summary>
/// Re-acceptance rollouts through the real <c>idpbridge</c> process against the real Keycloak, on realms of a few
/// thousand users with other pending actions, attributes and stored names the user profile refuses; every user is
/// read back afterwards. The process is killed, and Keycloak is killed, in the middle of a run.
/// </summary>
public sealed class RolloutEndToEndTests
{
    private const string Terms = "TERMS_AND_CONDITIONS";

    [Test]
    public async Task Start_ThousandsOfRealWorldUsers_EveryAcceptedUserMarkedIntactAndEveryRefusedOneReportedWithKeycloaksReasons()
    {
        var server = await RealServer.SharedAsync();
        await using var realm = await RolloutRealm.CreateAsync(server, 2_500);
        var cli = realm.Cli();

        var clock = Stopwatch.StartNew();
        var start = await cli.RunAsync("rollout", "start", "--yes", "--realm", realm.Name, "--version", "1", "--max-in-flight", "8");
        var took = clock.Elapsed;
        var status = await cli.RunAsync("rollout", "status", "--realm", realm.Name, "--output", "json");
        var text = await cli.RunAsync("rollout", "status", "--realm", realm.Name);
        var csvFile = Path.Combine(Path.GetDirectoryName(realm.Store)!, "refused.csv");
        var csv = await cli.RunAsync("rollout", "users", "--realm", realm.Name, "--format", "csv", "--file", csvFile);
        var after = await realm.UsersByNameAsync();
        TestContext.Progress.WriteLine(
            $"Rollout of {realm.Seeded.Count:N0} users on the real server: {took.TotalSeconds:F1} s ({realm.Seeded.Count / took.TotalSeconds:F0} users/s).");

        Assert.That(start.ExitCode, Is.Zero, start.ToString());
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        var json = JsonNode.Parse(status.Output)!;
        RolloutReadBack.AssertCounts(realm, json);
        RolloutReadBack.AssertEveryUser(realm, after, json["failures"]!.AsArray());
        var refused = realm.Seeded.Where(user => user.Expected == Expected.Refused).ToList();
        var csvRows = File.ReadAllLines(csvFile).Length - 1;
        Assert.Multiple(() =>
        {
            foreach (var user in refused)
            {
                var (field, error) = user.Refusals[0];
                Assert.That(text.Output, Does.Contain($"  failed     {user.Username} ({after[user.Username]["id"]}): 400: {field} {error}"));
            }

            Assert.That(text.Error, Does.Contain($"then run: idpbridge rollout retry --realm {realm.Name} --policy privacy --version 1"));
            Assert.That(csv.ExitCode, Is.Zero, csv.ToString());
            Assert.That(csvRows, Is.EqualTo(refused.Sum(user => user.Refusals.Count)), "one CSV row per refused attribute");
            Assert.That(
                server.Secrets.Where(secret => start.Output.Contains(secret, StringComparison.Ordinal) || start.Error.Contains(secret, StringComparison.Ordinal)),
                Is.Empty);
        });
    }

    [Test]
    public async Task Resume_AfterTheCliIsKilledMidRun_CompletesWithEveryUserWrittenOnce()
    {
        var server = await RealServer.SharedAsync();
        await using var realm = await RolloutRealm.CreateAsync(server, 2_000);
        await using var proxy = await RecordingProxy.StartAsync(server.Server.BaseUrl);
        var cli = realm.Cli(proxy.Url);

        using (var running = cli.Start("rollout", "start", "--yes", "--realm", realm.Name, "--version", "1", "--max-in-flight", "4"))
        {
            await WaitAsync(() => SuccessfulPuts(proxy).Count >= 500, "the first 500 writes");
            await running.KillAsync();
        }

        var writtenBeforeTheKill = SuccessfulPuts(proxy).Count;
        var killed = await realm.RolloutAsync();
        var resume = await cli.RunAsync("rollout", "resume", "--realm", realm.Name, "--output", "json");
        var after = await realm.UsersByNameAsync();

        Assert.That(resume.ExitCode, Is.Zero, resume.ToString());
        var json = JsonNode.Parse(resume.Output)!;
        var puts = SuccessfulPuts(proxy);
        Assert.Multiple(() =>
        {
            Assert.That(killed!.Status, Is.EqualTo(RolloutStatus.Running), "the kill came after the end");
            Assert.That(writtenBeforeTheKill, Is.LessThan(realm.Seeded.Count(user => user.Expected == Expected.Marked)));
            Assert.That(puts, Is.Unique, "a user was written twice");
            // A write that landed as the process died may not have reached the proxy's log: at most one per request in flight.
            Assert.That((long?)json["counts"]!["marked"] - puts.Count, Is.InRange(0, 4));
        });
        RolloutReadBack.AssertCounts(realm, json);
        RolloutReadBack.AssertEveryUser(realm, after, json["failures"]!.AsArray());
    }

    [Test]
    public async Task Resume_AfterKeycloakIsKilledMidRunAndRestarted_EveryAcceptedUserReallyCarriesTheActionAndTheSweepSaysWhomItRemarked()
    {
        var server = await RealServer.OwnAsync();
        try
        {
            await using var realm = await RolloutRealm.CreateAsync(server, 2_000);
            var cli = realm.Cli();

            // Give up on a dead Keycloak quickly, so the run stops (exit 3) rather than waiting for the restart.
            cli.Environment["IdpBridge__Keycloak__MaxRetries"] = "1";
            cli.Environment["IdpBridge__Keycloak__AttemptTimeout"] = "00:00:05";
            cli.Environment["IdpBridge__Keycloak__TotalTimeout"] = "00:00:15";
            CliRun stopped;
            using (var running = cli.Start("rollout", "start", "--yes", "--realm", realm.Name, "--version", "1", "--max-in-flight", "8"))
            {
                await WaitAsync(async () => (await realm.RolloutAsync())?.Counts.Marked >= 600, "600 users marked");
                await server.Server.KillAsync();
                stopped = await running.WaitAsync(TimeSpan.FromMinutes(3));
            }

            var restart = Stopwatch.StartNew();
            await server.Server.StartAgainAsync();
            TestContext.Progress.WriteLine($"Keycloak started again in {restart.Elapsed.TotalSeconds:F1} s.");

            // What the server holds now against what the rollout recorded: writes it acknowledged and lost.
            var rollout = (await realm.RolloutAsync())!;
            var now = await realm.UsersByNameAsync();
            var lost = await LostWritesAsync(realm, rollout, now);
            TestContext.Progress.WriteLine($"After the kill, {lost.Count} users recorded as marked did not carry the action.");

            // Another tool (or an administrator in the console) takes the action from three marked users too.
            var takenAway = await TakeTheActionAwayAsync(server, realm, rollout, now, lost, 3);

            var resume = await cli.RunAsync("rollout", "resume", "--realm", realm.Name, "--output", "json");
            var after = await realm.UsersByNameAsync();

            Assert.That(stopped.ExitCode, Is.EqualTo(3), stopped.ToString());
            Assert.That(resume.ExitCode, Is.Zero, resume.ToString());
            var json = JsonNode.Parse(resume.Output)!;
            var expected = lost.Concat(takenAway).ToList();
            Assert.That(json["remarked"]!.AsArray().Select(user => (string?)user!["userId"]), Is.EquivalentTo(expected),
                "the closing sweep must put back exactly the actions that vanished");
            RolloutReadBack.AssertCounts(realm, json, remarked: expected.Count);
            RolloutReadBack.AssertEveryUser(realm, after, json["failures"]!.AsArray());
        }
        finally
        {
            await server.DisposeOwnAsync();
        }
    }

    [Test]
    public async Task RetryAndExempt_AfterTheAdministratorFixesARefusedName_RetryMarksItAndExemptTakesTheActionBack()
    {
        var server = await RealServer.SharedAsync();
        await using var realm = await RolloutRealm.CreateAsync(server, 120);
        var cli = realm.Cli();
        var start = await cli.RunAsync("rollout", "start", "--yes", "--realm", realm.Name, "--version", "1");
        var users = await realm.UsersByNameAsync();
        var refused = realm.Seeded.First(user => user.Refusals is [("lastName", _)]);
        var refusedId = users[refused.Username]["id"]!.GetValue<string>();
        var robot = realm.Seeded.First(user => user.Expected == Expected.Marked).Username;

        // The administrator fixes the last name (a PUT with the new value passes the validation the old one failed).
        await server.Admin.SendAsync(HttpMethod.Put, $"realms/{Uri.EscapeDataString(realm.Name)}/users/{refusedId}", new JsonObject { ["lastName"] = "de la Cruz" });
        var retry = await cli.RunAsync("rollout", "retry", "--realm", realm.Name, "--version", "1");
        var exempt = await cli.RunAsync("rollout", "exempt", "--realm", realm.Name, "--version", "1", "--user", robot, "--reason", "monitoring robot");
        var status = JsonNode.Parse((await cli.RunAsync("rollout", "status", "--realm", realm.Name, "--output", "json")).Output)!;
        var after = await realm.UsersByNameAsync();

        var stillRefused = realm.Seeded.Count(user => user.Expected == Expected.Refused) - 1;
        Assert.Multiple(() =>
        {
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(start.Output, Does.Contain($"  failed     {refused.Username} ({refusedId}): 400: lastName error-person-name-invalid-character"));
            Assert.That(retry.ExitCode, Is.Zero, retry.ToString());
            Assert.That(retry.Output, Does.Contain($": 1 marked, 0 needed nothing more (accepted meanwhile or carry the action), {stillRefused} refused again."));
            Assert.That(RolloutReadBack.CarriesTerms(after[refused.Username]), Is.True, "the fixed user was not marked");
            Assert.That(exempt.ExitCode, Is.Zero, exempt.ToString());
            Assert.That(exempt.Output, Does.Contain("removed the TERMS_AND_CONDITIONS this rollout had added"));
            Assert.That(RolloutReadBack.CarriesTerms(after[robot]), Is.False, "the exempted user kept the action");
            Assert.That((long?)status["counts"]!["failed"], Is.EqualTo(stillRefused));
            Assert.That((long?)status["counts"]!["exempted"], Is.EqualTo(1));
            Assert.That((string?)status["exempted"]![0]!["reason"], Does.EndWith(": monitoring robot"));
            Assert.That(status["failures"]!.AsArray().Select(failure => (string?)failure!["userId"]), Does.Not.Contain(refusedId));
        });
    }

    /// <summary>The successful user PUTs that went through the proxy, by user id.</summary>
    private static List<string> SuccessfulPuts(RecordingProxy proxy) =>
        [.. proxy.Requests.Where(request => request.Method == "PUT" && request.Status < 300 && request.Path.Contains("/users/", StringComparison.Ordinal))
            .Select(request => request.Path[(request.Path.LastIndexOf('/') + 1)..])];

    /// <summary>Users the rollout recorded as carrying the action (marked, or already pending) whom the server now shows without it.</summary>
    private static async Task<List<string>> LostWritesAsync(RolloutRealm realm, Rollout rollout, Dictionary<string, JsonObject> now)
    {
        await using var store = realm.OpenStore();
        var ids = now.Values.ToDictionary(user => user["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var outcomes = await store.GetRequiredService<IRolloutStore>().GetOutcomesAsync(rollout.Id, ids.Keys);
        return [.. outcomes.Where(pair => pair.Value is UserOutcome.Marked or UserOutcome.AlreadyPending && !RolloutReadBack.CarriesTerms(ids[pair.Key])).Select(pair => pair.Key)];
    }

    /// <summary>Removes the action from <paramref name="count"/> users the rollout recorded as marked (and not lost already); returns their ids.</summary>
    private static async Task<List<string>> TakeTheActionAwayAsync(
        RealServer server, RolloutRealm realm, Rollout rollout, Dictionary<string, JsonObject> now, List<string> lost, int count)
    {
        await using var store = realm.OpenStore();
        var ids = now.Values.ToDictionary(user => user["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var outcomes = await store.GetRequiredService<IRolloutStore>().GetOutcomesAsync(rollout.Id, ids.Keys);
        var chosen = outcomes
            .Where(pair => pair.Value == UserOutcome.Marked && !lost.Contains(pair.Key))
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)
            .Take(count)
            .ToList();
        foreach (var id in chosen)
        {
            var actions = RolloutReadBack.Actions(ids[id]).Where(action => action != Terms).Select(action => (JsonNode?)action);
            await server.Admin.SendAsync(
                HttpMethod.Put, $"realms/{Uri.EscapeDataString(realm.Name)}/users/{id}", new JsonObject { ["requiredActions"] = new JsonArray([.. actions]) });
        }

        return chosen;
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                Assert.Fail($"Gave up waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
