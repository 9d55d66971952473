using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The rollout admin API and the service's rollout worker against a simulated realm: start, status, cancel, the
/// automatic start of a material version once it takes effect, and superseding.
/// </summary>
public sealed class RolloutApiTests
{
    private const string Rollouts = "/api/admin/realms/externos/rollouts";
    private const string StartV2 = "/api/admin/realms/externos/policies/privacy/versions/2/rollout";
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(60);

    private ServiceHarness? harness;
    private HttpClient admin = null!;

    private SimulatedRealm Realm => harness!.Simulator.Realm(ServiceHarness.Realm);

    [TearDown]
    public void Stop()
    {
        admin?.Dispose();
        harness?.Dispose();
    }

    [TestCase("GET", Rollouts)]
    [TestCase("GET", Rollouts + "/privacy/2")]
    [TestCase("POST", StartV2)]
    [TestCase("POST", Rollouts + "/privacy/2/cancel")]
    [TestCase("GET", Rollouts + "/privacy/2/users")]
    [TestCase("GET", Rollouts + "/privacy/2/users?format=csv")]
    [TestCase("POST", Rollouts + "/privacy/2/retry")]
    [TestCase("POST", Rollouts + "/privacy/2/exemptions")]
    public async Task RolloutEndpoints_NoTokenOrNoAdminRole_401Or403AndNothingStarted(string method, string path)
    {
        Start(autoStart: false, users: 10);
        await PublishV1AndV2Async();
        using var anonymous = harness!.Client();
        using var notAdmin = harness.Client(harness.AdminToken(new Dictionary<string, object?>
        {
            ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "offline_access" } },
        }));

        var unauthenticated = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var forbidden = await notAdmin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Multiple(async () =>
        {
            Assert.That(unauthenticated.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await ListAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Start_TermsStepReady_CreatedAndTheWorkerMarksEveryUserOnce()
    {
        Start(autoStart: false, users: 250);
        var before = People().ToDictionary(id => id, id => Actions(id));
        await PublishV1AndV2Async();

        var started = await admin.PostAsync(StartV2, null);
        var startedBody = await BodyAsync(started);
        var completed = await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "completed", "the rollout did not complete");
        var again = await admin.PostAsync(StartV2, null);

        var puts = UserPuts();
        Assert.Multiple(async () =>
        {
            Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Created), startedBody.ToJsonString());
            Assert.That(started.Headers.Location!.ToString(), Is.EqualTo("/api/admin/realms/externos/rollouts/privacy/2"));
            Assert.That((string?)startedBody["startedBy"], Is.EqualTo("admin-api:ana.admin"));
            Assert.That((string?)startedBody["status"], Is.EqualTo("running"));
            Assert.That((int?)startedBody["usersTotal"], Is.EqualTo(250));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((long?)(await BodyAsync(again))["id"], Is.EqualTo((long?)startedBody["id"]));

            Assert.That((string?)completed["phase"], Is.EqualTo("done"));
            Assert.That((double?)completed["progress"], Is.EqualTo(1.0));
            Assert.That(completed["leaseOwner"], Is.Null);
            Assert.That(completed["failures"]!.AsArray(), Is.Empty);
            Assert.That((long?)completed["counts"]!["marked"], Is.EqualTo(puts.Count));
            Assert.That((long?)completed["counts"]!["scanned"], Is.EqualTo(250));
            Assert.That((long?)completed["counts"]!["alreadyPending"], Is.Zero);

            // The cap the worker ran under, stored with the rollout: the service's default adapts, from 16 up to 64.
            var inFlight = completed["inFlight"]!;
            Assert.That((string?)inFlight["mode"], Is.EqualTo("adaptive"), inFlight.ToJsonString());
            Assert.That((int?)inFlight["ceiling"], Is.EqualTo(64));
            Assert.That((int?)inFlight["cap"], Is.EqualTo((int?)inFlight["lastChange"]?["to"] ?? KeycloakOptions.AdaptiveInitialInFlight),
                "the cap is its last change's, or the start's");
            Assert.That(
                inFlight["lastChange"] is null
                    || (string?)inFlight["lastChange"]!["reason"] is "latency_rose" or "latency_flat" or "throughput_rose" or "throughput_flat",
                Is.True, "on the simulator's flat latency, no 429/503 moved the cap: " + inFlight.ToJsonString());

            // Every user carries the action now, keeps the others, and was written once with requiredActions only.
            foreach (var (id, actions) in before)
            {
                Assert.That(Actions(id), Is.EquivalentTo(actions.Append(SimulatedRealm.TermsAction)), id);
            }

            Assert.That(puts.Select(put => put.UserId), Is.Unique);
            Assert.That(puts.Select(put => put.UserId), Is.EquivalentTo(before.Keys));
            Assert.That(puts.Select(put => put.Body.Select(property => property.Key)), Has.All.EquivalentTo(new[] { "requiredActions" }));
        });
    }

    [Test]
    public async Task Start_TermsStepDisabled_409WithTheCodeTheFactsAndNothingStored()
    {
        Start(autoStart: false, users: 10);
        Realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: false, defaultAction: true);
        await PublishV1AndV2Async();

        var refused = await admin.PostAsync(StartV2, null);
        var problem = await BodyAsync(refused);

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)problem["code"], Is.EqualTo("terms_action_disabled"));
            Assert.That(problem["facts"]!.ToJsonString(), Is.EqualTo("""{"realm":"externos"}"""));
            Assert.That((string?)problem["detail"], Does.Contain("TERMS_AND_CONDITIONS is disabled in realm 'externos'").And.Contain("default action"));
            Assert.That(problem.ToJsonString(), Does.Not.Contain("idpbridge ").And.Not.Contain("run:"), "the admin API gives CLI advice");
            Assert.That(await ListAsync(), Is.Empty);
            Assert.That(UserPuts(), Is.Empty);
        });
    }

    [Test]
    public async Task Start_UnknownOrMinorVersion_404Or422()
    {
        Start(autoStart: false, users: 10);
        await PublishV1AndV2Async();
        await ServiceHarness.PublishAsync(admin, "v2", appendix: "\n\nA typo fixed.\n", kind: "minor");

        var unknown = await admin.PostAsync("/api/admin/realms/externos/policies/privacy/versions/9/rollout", null);
        var minor = await admin.PostAsync("/api/admin/realms/externos/policies/privacy/versions/3/rollout", null);
        var status = await admin.GetAsync(Rollouts + "/privacy/9");

        Assert.Multiple(async () =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await ProblemAsync(unknown), Is.EqualTo(("no_such_version", """{"realm":"externos","policy":"privacy","version":9}""")));
            Assert.That((string?)(await BodyAsync(unknown))["detail"], Does.Contain("has no version 9").And.Not.Contain("idpbridge "));
            Assert.That(minor.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await ProblemAsync(minor), Is.EqualTo(("minor_version", """{"realm":"externos","policy":"privacy","version":3}""")));
            Assert.That((string?)(await BodyAsync(minor))["detail"], Does.Contain("minor change"));
            Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await ProblemAsync(status), Is.EqualTo(("no_such_rollout", """{"realm":"externos","policy":"privacy","version":9}""")));
            Assert.That(await ListAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Cancel_WhileRunning_StopsWithAConsistentRecordAndASecondCancelIs409()
    {
        Start(autoStart: false, users: 1500);
        await PublishV1AndV2Async();
        harness!.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(5);
        var started = await admin.PostAsync(StartV2, null);
        await PollAsync(Rollouts + "/privacy/2", status => (long?)status["counts"]!["scanned"] > 0, "the worker did not run the rollout");

        var cancel = await admin.PostAsync(Rollouts + "/privacy/2/cancel", null);
        var cancelled = await BodyAsync(cancel);
        var stopped = await PollAsync(Rollouts + "/privacy/2", status => status["leaseOwner"] is null, "the worker did not let the rollout go");
        var again = await admin.PostAsync(Rollouts + "/privacy/2/cancel", null);

        var carrying = People().Count(id => Actions(id).Contains(SimulatedRealm.TermsAction));
        Assert.Multiple(async () =>
        {
            Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK), cancelled.ToJsonString());
            Assert.That((string?)cancelled["status"], Is.EqualTo("cancelled"));
            Assert.That((string?)cancelled["message"], Is.EqualTo("Cancelled by ana.admin through the admin API."));
            Assert.That((string?)stopped["status"], Is.EqualTo("cancelled"));
            Assert.That((long?)stopped["counts"]!["marked"], Is.EqualTo(carrying), "the record disagrees with Keycloak");
            Assert.That((long?)stopped["counts"]!["marked"], Is.EqualTo(UserPuts().Count));
            Assert.That(carrying, Is.LessThan(1500), "the rollout ran to its end");
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((string?)(await BodyAsync(again))["detail"], Does.Contain("is cancelled: there is nothing to cancel"));
            Assert.That(await ProblemAsync(again), Is.EqualTo(("not_running", """{"realm":"externos","policy":"privacy","version":2,"status":"cancelled"}""")));
        });
    }

    [Test]
    public async Task Worker_ServiceStopsMidRun_InterruptedResumablyAndTheNextServiceFinishesIt()
    {
        Start(autoStart: false, users: 1500);
        await PublishV1AndV2Async();
        harness!.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(5);
        await admin.PostAsync(StartV2, null);
        await PollAsync(Rollouts + "/privacy/2", status => (long?)status["counts"]!["scanned"] > 0, "the worker did not run the rollout");
        admin.Dispose();

        // What the stopped service left, read from its database before another service can touch it.
        Core.Rollouts.Rollout left = null!;
        await harness.RestartAsync(async () =>
        {
            await using var store = new ServiceCollection().AddIdpBridgeCore()
                .Configure<Core.Storage.IdpBridgeStorageOptions>(options => options.SqlitePath = harness.DatabasePath).BuildServiceProvider();
            left = (await store.GetRequiredService<Core.Rollouts.IRolloutStore>().FindAsync(ServiceHarness.Realm, "privacy", 2))!;
        });
        var marked = People().Count(id => Actions(id).Contains(SimulatedRealm.TermsAction));
        harness.Simulator.Faults.Latency = TimeSpan.Zero;
        admin = harness.Client(harness.AdminToken());
        var completed = await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "completed", "the next service did not finish the rollout");

        var puts = UserPuts();
        Assert.Multiple(() =>
        {
            Assert.That(left.Status, Is.EqualTo(Core.Rollouts.RolloutStatus.Running), "a stop is not a cancel");
            Assert.That(left.LeaseOwner, Is.Null, "the stopping service kept its lease");
            Assert.That(left.Message, Is.EqualTo("Stopped by request. Resume continues where it stopped."));
            Assert.That(left.Counts.Marked, Is.EqualTo(marked), "the record disagrees with Keycloak");
            Assert.That(marked, Is.LessThan(1500), "the rollout ran to its end before the stop");
            Assert.That(People().Where(id => !Actions(id).Contains(SimulatedRealm.TermsAction)), Is.Empty);
            Assert.That(puts.Select(put => put.UserId), Is.Unique, "a user was written twice");
            Assert.That((long?)completed["counts"]!["marked"], Is.EqualTo(puts.Count));
        });
    }

    [Test]
    public async Task Worker_MaterialVersionScheduledForLater_StartsItOnceInForceAndCompletesIt()
    {
        Start(autoStart: true, users: 120);
        var v1 = await ServiceHarness.PublishAsync(admin, "v1");
        var onlyV1 = await ListAsync();
        var effective = TimeProvider.System.GetUtcNow().AddSeconds(2);
        var v2 = await ServiceHarness.PublishAsync(admin, "v2", effective);
        var beforeEffective = await ListAsync();

        var completed = await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "completed", "the scheduled version was not rolled out");

        Assert.Multiple(async () =>
        {
            Assert.That(v1.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(v2.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(onlyV1, Is.Empty, "version 1, the first publication, has no automatic rollout");
            Assert.That(beforeEffective, Is.Empty, "started before the version took effect");
            Assert.That((string?)completed["startedBy"], Is.EqualTo("service"));
            Assert.That(completed["startedAt"]!.GetValue<DateTimeOffset>(), Is.GreaterThanOrEqualTo(effective.AddTicks(-(effective.UtcTicks % TimeSpan.TicksPerSecond))));
            Assert.That(People().Where(id => !Actions(id).Contains(SimulatedRealm.TermsAction)), Is.Empty);
            Assert.That(UserPuts().Select(put => put.UserId), Is.Unique);
            Assert.That((await ListAsync()).Select(rollout => (int?)rollout!["version"]), Is.EqualTo(new int?[] { 2 }));
        });
    }

    [Test]
    public async Task Worker_NewerMaterialVersionInForce_SupersedesTheRunningRolloutAndRollsOutTheNewOne()
    {
        Start(autoStart: true, users: 1500);
        // One request at a time, 5 ms each: version 2's rollout needs some 15 s, time to publish version 3 on a loaded
        // machine (with 64 in flight it would be over in a second, before the publish).
        harness!.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(5);
        harness.Simulator.Faults.MaxInFlight = 1;
        await PublishV1AndV2Async();
        await PollAsync(Rollouts + "/privacy/2", status => (long?)status["counts"]!["scanned"] > 0, "version 2's rollout did not start");

        var v3 = await ServiceHarness.PublishAsync(admin, "v2", appendix: "\n\nA new purpose.\n");
        var superseded = await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "cancelled", "version 2's rollout was not superseded");
        harness.Simulator.Faults.Latency = TimeSpan.Zero;
        harness.Simulator.Faults.MaxInFlight = null;
        var completed = await PollAsync(Rollouts + "/privacy/3", status => (string?)status["status"] == "completed", "version 3 was not rolled out");

        // Version 2's record as its run left it (the page in flight when it was cancelled is recorded after the cancel).
        var v2 = await BodyAsync(await admin.GetAsync(Rollouts + "/privacy/2"));
        var puts = UserPuts();
        Assert.Multiple(() =>
        {
            Assert.That(v3.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)superseded["message"], Is.EqualTo("Superseded by version 3"));
            Assert.That((long?)v2["counts"]!["marked"], Is.LessThan(1500), "version 2's rollout ran to its end");
            Assert.That((string?)completed["startedBy"], Is.EqualTo("service"));
            Assert.That(People().Where(id => !Actions(id).Contains(SimulatedRealm.TermsAction)), Is.Empty);
            Assert.That(puts.Select(put => put.UserId), Is.Unique, "a user was written twice");
            Assert.That(v2["leaseOwner"], Is.Null);
            Assert.That((long?)v2["counts"]!["marked"] + (long?)completed["counts"]!["marked"], Is.EqualTo(puts.Count));
        });
    }

    [Test]
    public async Task Users_RefusedByKeycloak_PagedWithTheirErrorsAndAllAsCsv()
    {
        Start(autoStart: false, users: 30);
        var refused = People().Take(5).ToList();
        foreach (var id in refused)
        {
            var user = Realm.GetUser(id)!;
            Realm.DeleteUser(id);
            user["lastName"] = "Pérez\n";
            Realm.AddUser(user);
        }

        await PublishV1AndV2Async();
        await admin.PostAsync(StartV2, null);
        var completed = await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "completed", "the rollout did not complete");

        var first = await BodyAsync(await admin.GetAsync(Rollouts + "/privacy/2/users?max=3"));
        var second = await BodyAsync(await admin.GetAsync(Rollouts + $"/privacy/2/users?max=3&after={(string?)first["next"]}"));
        var csv = await admin.GetAsync(Rollouts + "/privacy/2/users?format=csv");
        var csvText = await csv.Content.ReadAsStringAsync();
        var badOutcome = await admin.GetAsync(Rollouts + "/privacy/2/users?outcome=everyone");

        var listed = first["users"]!.AsArray().Concat(second["users"]!.AsArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((long?)completed["counts"]!["failed"], Is.EqualTo(5));
            Assert.That(completed["failures"]![0]!["errors"]!.ToJsonString(),
                Is.EqualTo("""[{"field":"lastName","errorMessage":"error-person-name-invalid-character","params":["lastName"]}]"""));
            Assert.That(listed.Select(user => (string?)user!["userId"]), Is.EqualTo(refused.Order(StringComparer.Ordinal)));
            Assert.That((string?)second["next"], Is.Null);
            Assert.That(listed.Select(user => (string?)user!["toFix"]), Has.All.EqualTo("the user's last name"));
            Assert.That(csv.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
            Assert.That(csvText.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(6));
            Assert.That(csvText, Does.Contain(",lastName,error-person-name-invalid-character,"));
            Assert.That(badOutcome.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task RetryAndExempt_AfterTheRollout_MarkTheFixedUserAndRecordTheExemption()
    {
        Start(autoStart: false, users: 20);
        var broken = People().ElementAt(4);
        var robot = People().ElementAt(9);
        var user = Realm.GetUser(broken)!;
        Realm.DeleteUser(broken);
        user["email"] = "broken@@example";
        Realm.AddUser(user);
        await PublishV1AndV2Async();
        await admin.PostAsync(StartV2, null);
        await PollAsync(Rollouts + "/privacy/2", status => (string?)status["status"] == "completed", "the rollout did not complete");
        Realm.DeleteUser(broken);
        user["email"] = "broken@example.org";
        Realm.AddUser(user);

        var retry = await admin.PostAsync(Rollouts + "/privacy/2/retry", null);
        var retryBody = await BodyAsync(retry);
        var exempt = await admin.PostAsJsonAsync(Rollouts + "/privacy/2/exemptions", new { user = robot, reason = "monitoring robot" });
        var exemptBody = await BodyAsync(exempt);
        var incomplete = await admin.PostAsJsonAsync(Rollouts + "/privacy/2/exemptions", new { user = robot });
        var nobody = await admin.PostAsJsonAsync(Rollouts + "/privacy/2/exemptions", new { user = "nobody", reason = "x" });
        var exempted = await BodyAsync(await admin.GetAsync(Rollouts + "/privacy/2/users?outcome=exempted"));

        Assert.Multiple(() =>
        {
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), retryBody.ToJsonString());
            Assert.That(((int?)retryBody["retried"], (int?)retryBody["marked"], (int?)retryBody["stillFailed"]), Is.EqualTo((1, 1, 0)));
            Assert.That(Actions(broken), Does.Contain(SimulatedRealm.TermsAction));
            Assert.That(exempt.StatusCode, Is.EqualTo(HttpStatusCode.OK), exemptBody.ToJsonString());
            Assert.That((bool?)exemptBody["actionRemoved"], Is.True);
            Assert.That((string?)exemptBody["code"], Is.EqualTo("action_removed"));
            Assert.That(exemptBody.AsObject().ContainsKey("removalRefused"), Is.False);
            Assert.That((long?)exemptBody["counts"]!["exempted"], Is.EqualTo(1));
            Assert.That(Actions(robot), Does.Not.Contain(SimulatedRealm.TermsAction));
            Assert.That((string?)exempted["users"]![0]!["reason"], Does.StartWith("Exempted by admin-api:ana.admin on ").And.EndWith(": monitoring robot"));
            Assert.That(incomplete.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(nobody.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)retryBody["rollout"]!["status"], Is.EqualTo("completed"));
        });
        Assert.That(await ProblemAsync(nobody), Is.EqualTo(("no_such_user", """{"realm":"externos","policy":"privacy","version":2,"user":"nobody"}""")));
    }

    private void Start(bool autoStart, int users)
    {
        harness = new ServiceHarness(settings: new Dictionary<string, string>
        {
            ["IdpBridge:Rollouts:AutoStart"] = autoStart ? "true" : "false",
            ["IdpBridge:Rollouts:PageSize"] = "50",
        });
        Realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        Realm.SeedUsers(users);
        admin = harness.Client(harness.AdminToken());
    }

    private async Task PublishV1AndV2Async()
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            var published = await ServiceHarness.PublishAsync(admin, version);
            Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
        }
    }

    private async Task<JsonArray> ListAsync() => (await admin.GetFromJsonAsync<JsonArray>(Rollouts))!;

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>A refusal's <c>code</c> and <c>facts</c> (as compact JSON) from its problem details.</summary>
    private static async Task<(string? Code, string Facts)> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await BodyAsync(response);
        return ((string?)problem["code"], problem["facts"]?.ToJsonString() ?? "(no facts)");
    }

    /// <summary>Reads <paramref name="path"/> until <paramref name="done"/> holds; fails after <see cref="PollTimeout"/>.</summary>
    private async Task<JsonNode> PollAsync(string path, Func<JsonNode, bool> done, string failure)
    {
        var deadline = TimeProvider.System.GetUtcNow() + PollTimeout;
        JsonNode? last = null;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var response = await admin.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await BodyAsync(response);
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{failure} within {PollTimeout.TotalSeconds} s; last status: {last?.ToJsonString() ?? "none"}");
        return last!;
    }

    /// <summary>The realm's users but the service's own service account, which no rollout touches.</summary>
    private IEnumerable<string> People() =>
        Realm.UserIds.Where(id => !Realm.GetUser(id)!["username"]!.GetValue<string>().StartsWith("service-account-", StringComparison.Ordinal));

    private List<string> Actions(string userId) =>
        Realm.GetUser(userId)!["requiredActions"]?.AsArray().Select(action => action!.GetValue<string>()).ToList() ?? [];

    /// <summary>The users written (PUTs Keycloak applied), with their bodies.</summary>
    private List<(string UserId, JsonObject Body)> UserPuts() =>
        [.. harness!.Simulator.Requests
            .Where(request => request.Method == "PUT" && request.StatusCode < 300 && request.Path.Contains("/admin/realms/externos/users/", StringComparison.Ordinal))
            .Select(request => (request.Path[(request.Path.LastIndexOf('/') + 1)..], JsonNode.Parse(request.Body!)!.AsObject()))];
}
