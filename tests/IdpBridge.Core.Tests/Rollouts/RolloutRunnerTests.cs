using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

public sealed class RolloutRunnerTests
{
    private RolloutHarness harness = null!;

    [SetUp]
    public async Task Start() => harness = await RolloutHarness.StartAsync();

    [TearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [Test]
    public async Task Run_SeededRealm_MarksEveryoneNotAcceptedKeepingOtherActionsAndSendingOnlyRequiredActions()
    {
        harness.Realm.SeedUsers(500);
        var before = harness.Realm.GetUsers().ToDictionary(user => user["id"]!.GetValue<string>(), user => user.DeepClone().AsObject());
        var rollout = await harness.StartRolloutAsync();
        var acceptedLater = harness.Realm.UserIds[10];
        harness.AcceptTermsAfterStart(acceptedLater, rollout);   // at or after the start: already accepted this version

        var run = await harness.Runner().RunAsync(rollout.Id);

        Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
        var puts = harness.UserPuts();
        Assert.Multiple(() =>
        {
            foreach (var (id, old) in before)
            {
                var now = harness.Realm.GetUser(id)!;
                var oldActions = old["requiredActions"]?.AsArray().Select(action => action!.GetValue<string>()).ToList() ?? [];
                var newActions = now["requiredActions"]?.AsArray().Select(action => action!.GetValue<string>()).ToList() ?? [];
                Assert.That(newActions, Is.SupersetOf(oldActions), $"{id} lost a required action");
                Assert.That(JsonNode.DeepEquals(old["attributes"], now["attributes"]) || id == acceptedLater, Is.True, $"{id}: attributes changed");
                Assert.That(harness.CarriesTerms(id), Is.EqualTo(id != acceptedLater), $"{id}: terms action");
            }

            Assert.That(puts.Select(put => put.Body.Select(property => property.Key)), Has.All.EquivalentTo(new[] { "requiredActions" }));
            Assert.That(puts.Select(put => put.UserId), Is.Unique, "a user was written twice");
            Assert.That(run.Rollout.Counts, Is.EqualTo(new RolloutCounts(Marked: puts.Count, AlreadyPending: 0, AlreadyAccepted: 1, Skipped: 0, Failed: 0)));
            Assert.That(run.Rollout.Counts.Scanned, Is.EqualTo(500));
            Assert.That(run.Rollout.Status, Is.EqualTo(RolloutStatus.Completed));
            Assert.That(run.Rollout.LeaseOwner, Is.Null);
        });
        // One fresh read and one write per marked user; the lists cost one request per page (two walks, 5 users overlap),
        // and each walk's reads ahead past its last page.
        var userReads = harness.Simulator.Requests.Count(request => request.Method == "GET" && request.Path.Contains("/users/", StringComparison.Ordinal)
            && !request.Path.EndsWith("/users/count", StringComparison.Ordinal));
        // The start's searches for users who accepted through the bridge (q=idpbridge.terms.acceptedVersion:N) are not walk pages.
        var lists = harness.Simulator.Requests.Count(request => request.Method == "GET" && request.Path.EndsWith("/users", StringComparison.Ordinal)
            && !request.Query.Any(pair => pair.Key == "q"));
        Assert.Multiple(() =>
        {
            Assert.That(userReads, Is.EqualTo(run.Rollout.Counts.Marked));
            Assert.That(lists, Is.EqualTo(2 * (((500 - UserScan.Overlap) / (50 - UserScan.Overlap)) + 1 + new RolloutOptions().PagesAhead)));
        });
    }

    [Test]
    public async Task Run_Keycloak26_4ListShape_SameRequestsAndOutcomesAsOn26_7()
    {
        // 26.4 list items carry userProfileMetadata and brief items keep requiredActions: the rollout must not care.
        await using var older = await RolloutHarness.StartAsync(keycloakVersion: SimulatorOptions.Keycloak26_4);
        foreach (var side in new[] { harness, older })
        {
            side.Realm.SeedUsers(120);
            foreach (var id in side.Realm.UserIds.Take(3))
            {
                side.Realm.SetRequiredActions(id, "VERIFY_EMAIL");
            }
        }

        var runs = new List<RolloutRun>();
        foreach (var side in new[] { harness, older })
        {
            var rollout = await side.StartRolloutAsync();
            side.Simulator.ClearRequests();
            runs.Add(await side.Runner().RunAsync(rollout.Id));
        }

        static List<string> Traffic(RolloutHarness side) => side.Simulator.Requests
            .Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal))
            .Select(request => System.Text.RegularExpressions.Regex.Replace($"{request.Method} {request.Path}", "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "{id}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(run => run.End), Has.All.EqualTo(RunEnd.Completed));
            Assert.That(runs[1].Rollout.Counts, Is.EqualTo(runs[0].Rollout.Counts));
            Assert.That(runs[1].Rollout.Counts.Marked, Is.EqualTo(120));
            Assert.That(Traffic(older), Is.EqualTo(Traffic(harness)), "the same requests on both versions");
            Assert.That(older.Realm.UserIds.Take(3).Select(id => older.Realm.GetUser(id)!["requiredActions"]!.AsArray().Count), Has.All.EqualTo(2));
        });
    }

    [Test]
    public async Task Run_UsersAlreadyPendingOrServiceAccounts_NothingSentForThem()
    {
        harness.Realm.SeedUsers(60);
        var pending = harness.Realm.UserIds.Take(5).ToList();
        foreach (var id in pending)
        {
            harness.Realm.SetRequiredActions(id, "VERIFY_EMAIL", SimulatedRealm.TermsAction);
        }

        harness.Simulator.AddServiceAccountClient(RolloutHarness.RealmName, "reporting", "view-users");
        var rollout = await harness.StartRolloutAsync();

        var run = await harness.Runner().RunAsync(rollout.Id);

        var written = harness.UserPuts().Select(put => put.UserId).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(written.Intersect(pending), Is.Empty);
            Assert.That(run.Rollout.Counts.AlreadyPending, Is.EqualTo(5));
            Assert.That(run.Rollout.Counts.Marked, Is.EqualTo(55));
            Assert.That(harness.Realm.GetUsers()
                .Where(user => user["serviceAccountClientId"] is not null
                    || user["username"]!.GetValue<string>().StartsWith("service-account-", StringComparison.Ordinal))
                .Select(user => user["id"]!.GetValue<string>()).Intersect(written), Is.Empty, "a service account was marked");
        });
    }

    [Test]
    public async Task Run_UserAcceptsDuringTheRollout_IsNotAskedAgain()
    {
        harness.Realm.SeedUsers(400);
        var late = harness.Realm.UserIds[^3];
        var rollout = await harness.StartRolloutAsync();
        var progress = new InlineProgress(_ =>
        {
            if (harness.Realm.GetUser(late)!["attributes"]?["terms_and_conditions"] is null || !harness.CarriesTerms(late))
            {
                harness.AcceptTermsAfterStart(late, rollout);
            }
        });

        var run = await harness.Runner().RunAsync(rollout.Id, progress);

        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed));
            Assert.That(harness.CarriesTerms(late), Is.False, "asked again after accepting");
            Assert.That(harness.UserPuts().Select(put => put.UserId), Does.Not.Contain(late));
            Assert.That(run.Rollout.Counts.AlreadyAccepted, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task Run_UsersCreatedDeletedAndRenamedMidScan_NoneMissedNoneTwice()
    {
        harness.Realm.SeedUsers(600);
        var rollout = await harness.StartRolloutAsync();
        var deleted = new HashSet<string>();
        var created = new List<string>();
        var renamed = harness.Realm.FindUserId("user000590")!;
        var step = 0;
        var progress = new InlineProgress(current =>
        {
            if (current.Phase != RolloutPhase.Scan || current.Cursor.AfterUsername is not { } after)
            {
                return;
            }

            step++;
            // Delete handled users (the pages shift left) and users ahead; create users on both sides.
            foreach (var user in harness.Realm.GetUsers().Where(user => string.CompareOrdinal(user["username"]!.GetValue<string>(), after) <= 0).Take(12).ToList())
            {
                var id = user["id"]!.GetValue<string>();
                if (id != renamed && deleted.Add(id))
                {
                    harness.Realm.DeleteUser(id);
                }
            }

            var ahead = harness.Realm.FindUserId($"user{600 - step:D6}");
            if (ahead is not null && ahead != renamed && deleted.Add(ahead))
            {
                harness.Realm.DeleteUser(ahead);
            }

            created.Add(harness.Realm.AddUser($"zz-new-{step:D3}"));
            created.Add(harness.Realm.AddUser($"aa-new-{step:D3}"));
            if (step == 3)
            {
                // From after the cursor to before it: only the closing sweep can meet this user.
                harness.Realm.RenameUser(renamed, "aaa-renamed");
            }
        });

        var run = await harness.Runner().RunAsync(rollout.Id, progress);

        Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
        var survivors = harness.Realm.UserIds;
        var puts = harness.UserPuts().Select(put => put.UserId).ToList();
        var failures = await harness.Store.ListFailuresAsync(rollout.Id, 100);
        Assert.Multiple(() =>
        {
            Assert.That(survivors.Where(id => !harness.CarriesTerms(id)), Is.Empty, "a user present at the end was missed");
            Assert.That(puts, Is.Unique, "a user was written twice");
            Assert.That(harness.CarriesTerms(renamed), Is.True, "the renamed user was missed");
            Assert.That(run.Rollout.Counts.Marked, Is.EqualTo(puts.Count));

            // A user read ahead and deleted before its write is recorded as such; nobody else fails.
            Assert.That(failures.Select(failure => failure.UserId), Is.SubsetOf(deleted));
            Assert.That(failures.Select(failure => failure.Reason), Has.All.Contains("deleted"));
            Assert.That(run.Rollout.Counts.Failed, Is.EqualTo(failures.Count));
            Assert.That(step, Is.GreaterThan(5));
        });
    }

    [Test]
    public async Task Run_503And429BurstsAndTokenExpiry_EveryoneMarkedOnceAndTheWholeJobSlowedDown()
    {
        harness.Realm.SeedUsers(300);
        var rollout = await harness.StartRolloutAsync();
        // Each fault starts once the previous burst was served: a new burst replaces what is left of the last one, and
        // with pages read ahead two reports can come before any new request. A burst is shorter than the six attempts
        // one request makes (MaxRetries 5), as it may meet a single request in flight (the next page's list).
        var stage = 0;
        int Served(int status) => harness.Simulator.Requests.Count(request => request.StatusCode == status);
        var progress = new InlineProgress(_ =>
        {
            if (stage == 0)
            {
                harness.Simulator.Faults.FailNext(4, 503);
                stage = 1;
            }
            else if (stage == 1 && Served(503) == 4)
            {
                harness.Simulator.Faults.FailNext(4, 429, TimeSpan.FromMilliseconds(200));
                stage = 2;
            }
            else if (stage == 2 && Served(429) == 4)
            {
                harness.Simulator.ExpireAllTokens();
                stage = 3;
            }
        });

        var run = await harness.Runner().RunAsync(rollout.Id, progress);

        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
            Assert.That(stage, Is.EqualTo(3), "not every fault was injected during the run");
            Assert.That(harness.Realm.UserIds.Where(id => !harness.CarriesTerms(id)), Is.Empty);
            Assert.That(harness.UserPuts().Select(put => put.UserId).Distinct().Count(), Is.EqualTo(run.Rollout.Counts.Marked));
            Assert.That(Served(503), Is.EqualTo(4));
            Assert.That(Served(429), Is.EqualTo(4));
            Assert.That(harness.Throttle.Slowdowns, Is.GreaterThanOrEqualTo(1), "the throttle never slowed down");
            Assert.That(harness.Simulator.TokenRequestCount, Is.GreaterThanOrEqualTo(2), "the expired token was not renewed");
        });
    }

    [Test]
    public async Task Run_UsersRefused400AndDeletedBeforeTheirWrite_RecordedAsFailedAndTheRestGoesOn()
    {
        harness.Realm.SeedUsers(120);
        var legacy = harness.Realm.UserIds[7];
        var vanishing = harness.Realm.UserIds[100];
        harness.Simulator.Faults.RejectUser(RolloutHarness.RealmName, legacy, 400, "error-user-attribute-read-only");
        harness.Simulator.Faults.RejectUser(RolloutHarness.RealmName, vanishing, 404, "User not found");
        var rollout = await harness.StartRolloutAsync();

        var run = await harness.Runner().RunAsync(rollout.Id);
        var failures = await harness.Store.ListFailuresAsync(rollout.Id, 10);

        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed));
            Assert.That(run.Rollout.Counts.Failed, Is.EqualTo(2));
            Assert.That(run.Rollout.Counts.Marked, Is.EqualTo(118));
            Assert.That(failures.Select(failure => failure.UserId), Is.EquivalentTo(new[] { legacy, vanishing }));
            Assert.That(failures.Single(failure => failure.UserId == legacy).Reason, Does.Contain("400").And.Contain("error-user-attribute-read-only"));
            Assert.That(failures.Single(failure => failure.UserId == vanishing).Reason, Does.Contain("deleted"));
            Assert.That(failures.Select(failure => failure.Username), Has.All.StartWith("user"));
        });
    }

    [Test]
    public async Task Run_KeycloakKeepsFailing_StopsResumablyAndTheResumeFinishesWithoutWritingAnyoneTwice()
    {
        harness.Realm.SeedUsers(300);
        var rollout = await harness.StartRolloutAsync();
        var progress = new InlineProgress(current =>
        {
            if (current.Counts.Scanned is > 0 and < 100)
            {
                harness.Simulator.Faults.FailNext(1_000, 500);
            }
        });

        var first = await harness.Runner().RunAsync(rollout.Id, progress);
        harness.Simulator.Faults.Reset();
        await using var restarted = harness.NewProcess();   // a new process: its circuit breaker is closed
        var second = await restarted.GetRequiredService<RolloutRunner>().RunAsync(rollout.Id);

        Assert.Multiple(() =>
        {
            Assert.That(first.End, Is.EqualTo(RunEnd.Interrupted));
            Assert.That(first.Rollout.Message, Does.Contain("Keycloak").And.Contain("Resume"));
            Assert.That(first.Interruption?.KeycloakFailure, Does.StartWith("Keycloak "));
            Assert.That(first.Rollout.Message, Does.StartWith($"Stopped: {first.Interruption?.KeycloakFailure}."), "the stored note says the failure");
            Assert.That(first.Rollout.LeaseOwner, Is.Null, "the lease was not released");
            Assert.That(second.End, Is.EqualTo(RunEnd.Completed), second.Interruption?.ToString());
            Assert.That(harness.Realm.UserIds.Where(id => !harness.CarriesTerms(id)), Is.Empty);
            Assert.That(harness.UserPuts().Select(put => put.UserId), Is.Unique, "a user was written twice");
            Assert.That(second.Rollout.Counts.Scanned, Is.EqualTo(300));
            Assert.That(second.Rollout.Counts.Marked, Is.EqualTo(300));
        });
    }

    [Test]
    public async Task Cancel_DuringARun_StopsAtTheNextPageWithAConsistentRecordAndResumeFinishes()
    {
        harness.Realm.SeedUsers(400);
        var rollout = await harness.StartRolloutAsync();
        var progress = new InlineProgress(current =>
        {
            if (current.Counts.Scanned >= 100 && current.Status == RolloutStatus.Running)
            {
                harness.Store.CancelAsync(current.Id, "Cancelled by test", TimeProvider.System.GetUtcNow()).GetAwaiter().GetResult();
            }
        });

        var cancelled = await harness.Runner().RunAsync(rollout.Id, progress);
        var marked = harness.Realm.UserIds.Count(harness.CarriesTerms);
        var stored = (await harness.Store.GetAsync(rollout.Id))!;

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.End, Is.EqualTo(RunEnd.Cancelled));
            Assert.That(stored.Status, Is.EqualTo(RolloutStatus.Cancelled));
            Assert.That(stored.Message, Is.EqualTo("Cancelled by test"));
            Assert.That(stored.LeaseOwner, Is.Null);
            Assert.That(stored.Counts.Marked, Is.EqualTo(marked), "the record disagrees with Keycloak");
            Assert.That(marked, Is.LessThan(400));
        });

        var reopened = await harness.Rollouts.PrepareResumeAsync(stored);
        var resumed = await harness.Runner().RunAsync(reopened.Id);

        Assert.Multiple(() =>
        {
            Assert.That(resumed.End, Is.EqualTo(RunEnd.Completed));
            Assert.That(harness.UserPuts().Select(put => put.UserId), Is.Unique);
            Assert.That(resumed.Rollout.Counts.Marked, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task Run_TwoExecutorsAtOnce_OneRunsTheOtherFindsItBusy()
    {
        harness.Realm.SeedUsers(200);
        var rollout = await harness.StartRolloutAsync();

        // Two processes' executors: the second presents itself under another name.
        var now = TimeProvider.System.GetUtcNow();
        var other = await harness.Store.TryAcquireLeaseAsync(rollout.Id, new LeaseOwner("elsewhere/1/abc"), now, now.AddMinutes(1));
        var busy = await harness.Runner().RunAsync(rollout.Id);
        await harness.Store.ReleaseLeaseAsync(rollout.Id, new LeaseOwner("elsewhere/1/abc"), null, now);
        var runs = await Task.WhenAll(harness.Runner().RunAsync(rollout.Id), harness.Runner().RunAsync(rollout.Id));

        Assert.Multiple(() =>
        {
            Assert.That(other, Is.True);
            Assert.That(busy.End, Is.EqualTo(RunEnd.Busy));
            Assert.That(busy.Rollout.LeaseOwner?.Value, Is.EqualTo("elsewhere/1/abc"));
            Assert.That(harness.UserPuts().Select(put => put.UserId), Is.Unique);
            Assert.That(runs.Count(run => run.End == RunEnd.Completed), Is.EqualTo(1), string.Join(", ", runs.Select(run => run.End)));
        });
    }

    [TestCase(false, true, RolloutRefusal.TermsActionDisabled)]
    [TestCase(true, false, RolloutRefusal.TermsActionNotDefault)]
    public async Task Start_TermsStepNotReady_RefusedWithTheCodeAndTheRealm(bool enabled, bool defaultAction, RolloutRefusal expected)
    {
        harness.Realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: enabled, defaultAction: defaultAction);

        var error = Assert.ThrowsAsync<RolloutException>(() => harness.StartRolloutAsync());

        Assert.That((error!.Refusal, error.Facts), Is.EqualTo((expected, new RolloutRefusalFacts(RolloutHarness.RealmName))));
        Assert.That(error.Message, Does.Not.Contain("idpbridge "), "Core tells the caller which command to run");
        Assert.That(await harness.Store.ListAsync(RolloutHarness.RealmName), Is.Empty);
    }

    [Test]
    public async Task Start_MinorVersion_Refused()
    {
        var error = Assert.ThrowsAsync<RolloutException>(() => harness.Rollouts.StartAsync(RolloutHarness.RealmName, RolloutHarness.Policy, 3, "test"));

        Assert.That((error!.Refusal, error.Facts), Is.EqualTo((RolloutRefusal.MinorVersion, new RolloutRefusalFacts(RolloutHarness.RealmName, RolloutHarness.Policy, 3))));
        Assert.That(await harness.Store.ListAsync(RolloutHarness.RealmName), Is.Empty);
    }

    [Test]
    public async Task Start_Twice_ReturnsTheSameRollout()
    {
        var first = await harness.Rollouts.StartAsync(RolloutHarness.RealmName, RolloutHarness.Policy, null, "test");
        var second = await harness.Rollouts.StartAsync(RolloutHarness.RealmName, RolloutHarness.Policy, null, "test");

        Assert.Multiple(() =>
        {
            Assert.That(first.Created, Is.True);
            Assert.That(second.Created, Is.False);
            Assert.That(second.Rollout.Id, Is.EqualTo(first.Rollout.Id));
            Assert.That(first.Rollout.VersionNumber, Is.EqualTo(2), "the latest material version, not the minor one after it");
        });
    }
}
