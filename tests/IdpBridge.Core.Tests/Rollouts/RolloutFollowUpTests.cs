using IdpBridge.Core.Rollouts;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

/// <summary>
/// What follows a rollout's first writes: users Keycloak refuses (with its reasons), the closing sweep checking the
/// server rather than the record, retries after an administrator fixes a user, and exemptions.
/// </summary>
public sealed class RolloutFollowUpTests
{
    private RolloutHarness harness = null!;

    [SetUp]
    public async Task Start() => harness = await RolloutHarness.StartAsync();

    [TearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [Test]
    public async Task Run_StoredNamesAndEmailsTheProfileRefuses_FailedWithKeycloaksFieldsAndTheRestMarked()
    {
        harness.Realm.SeedUsers(100);
        var newline = harness.Realm.UserIds[3];
        var everything = harness.Realm.UserIds[40];
        Legacy(newline, lastName: "García\nLópez");
        Legacy(everything, email: "bad@@example", firstName: "A<b", lastName: "C>d");
        var rollout = await harness.StartRolloutAsync();

        var run = await harness.Runner().RunAsync(rollout.Id);

        var failed = await harness.Store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, null, 10);
        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
            Assert.That(run.Rollout.Counts, Is.EqualTo(new RolloutCounts(Marked: 98, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 2)));
            Assert.That(failed.ToDictionary(user => user.UserId, user => user.Reason), Is.EquivalentTo(new Dictionary<string, string?>
            {
                [newline] = "400: lastName error-person-name-invalid-character",
                [everything] = "400: email error-invalid-email; lastName error-person-name-invalid-character; firstName error-person-name-invalid-character",
            }));
            var errors = failed.Single(user => user.UserId == everything).Errors;
            Assert.That(errors.Select(error => (error.Field, error.ErrorMessage, string.Join(",", error.Params))), Is.EqualTo(new[]
            {
                ((string?)"email", "error-invalid-email", "email,bad@@example"),
                ("lastName", "error-person-name-invalid-character", "lastName"),
                ("firstName", "error-person-name-invalid-character", "firstName"),
            }));
            Assert.That(failed.Select(user => user.Username), Is.EquivalentTo(new[] { Username(newline), Username(everything) }));
            Assert.That(harness.CarriesTerms(newline) || harness.CarriesTerms(everything), Is.False);
        });
    }

    [Test]
    public async Task Sweep_ActionGoneFromMarkedAndPendingUsers_PutBackCountedAndListedUnlessTheyAccepted()
    {
        harness.Realm.SeedUsers(300);
        var ids = harness.Realm.UserIds;
        var hadIt = ids[0];
        harness.Realm.SetRequiredActions(hadIt, "VERIFY_EMAIL", SimulatedRealm.TermsAction);
        string[] lost = [ids[5], ids[120], ids[299], hadIt];
        var accepted = ids[200];
        var rollout = await harness.StartRolloutAsync();
        var done = false;
        var progress = new InlineProgress(current =>
        {
            if (current.Phase == RolloutPhase.Sweep && !done)
            {
                done = true;
                // Between the walks: Keycloak lost these writes (or another tool removed the action); one user accepted.
                foreach (var id in lost)
                {
                    harness.Realm.SetRequiredActions(id, [.. harness.Realm.GetUser(id)!["requiredActions"]!.AsArray()
                        .Select(action => action!.GetValue<string>()).Where(action => action != SimulatedRealm.TermsAction)]);
                }

                harness.AcceptTermsAfterStart(accepted, rollout);
            }
        });

        var run = await harness.Runner().RunAsync(rollout.Id, progress);

        var remarked = await harness.Store.ListUsersAsync(rollout.Id, RolloutUserKind.Remarked, null, 10);
        var puts = harness.UserPuts().Select(put => put.UserId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
            Assert.That(ids.Where(id => id != accepted && !harness.CarriesTerms(id)), Is.Empty, "a user lost the action for good");
            Assert.That(harness.CarriesTerms(accepted), Is.False, "asked again after accepting");
            Assert.That(run.Rollout.Counts, Is.EqualTo(new RolloutCounts(Marked: 300, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 0, Remarked: 4)));
            Assert.That(remarked.Select(user => user.UserId), Is.EquivalentTo(lost));
            Assert.That(remarked.Select(user => user.Username), Is.EquivalentTo(lost.Select(Username)));
            Assert.That(puts.Count(id => lost.Contains(id)), Is.EqualTo(lost.Length * 2 - 1), "one first write each (none for the user who had it), one re-mark each");
            Assert.That(harness.Realm.GetUser(hadIt)!["requiredActions"]!.AsArray().Select(action => action!.GetValue<string>()),
                Is.EquivalentTo(new[] { "VERIFY_EMAIL", SimulatedRealm.TermsAction }));
        });
    }

    [Test]
    public async Task Sweep_KeycloakFailsDuringIt_ResumeWalksTheSweepAgainFromTheStart()
    {
        // 600 users, pages of 50: past offset 150 the sweep still has pages to read beyond the two it reads ahead.
        harness.Realm.SeedUsers(600);
        var early = harness.Realm.UserIds[2];
        var rollout = await harness.StartRolloutAsync();
        var failed = false;
        var progress = new InlineProgress(current =>
        {
            if (current.Phase == RolloutPhase.Sweep && current.Cursor.Offset > 150 && !failed)
            {
                // Keycloak dies mid-sweep, after losing a write of a user the sweep already passed.
                failed = true;
                harness.Realm.SetRequiredActions(early);
                harness.Simulator.Faults.FailNext(1_000, 500);
            }
        });

        var first = await harness.Runner().RunAsync(rollout.Id, progress);
        harness.Simulator.Faults.Reset();
        var stopped = (await harness.Store.GetAsync(rollout.Id))!;
        await using var restarted = harness.NewProcess();
        var second = await restarted.GetRequiredService<RolloutRunner>().RunAsync(rollout.Id);

        Assert.Multiple(() =>
        {
            Assert.That(first.End, Is.EqualTo(RunEnd.Interrupted));
            Assert.That(first.Rollout.Message, Does.Contain("closing sweep again from the start"));
            Assert.That(first.Interruption, Is.EqualTo(new RunInterruption(first.Interruption?.KeycloakFailure, Requested: false, SweepStartsOver: true)));
            Assert.That((stopped.Phase, stopped.Cursor), Is.EqualTo((RolloutPhase.Sweep, ScanCursor.Start)));
            Assert.That(second.End, Is.EqualTo(RunEnd.Completed), second.Interruption?.ToString());
            Assert.That(harness.CarriesTerms(early), Is.True, "the sweep did not start over");
            Assert.That(second.Rollout.Counts.Remarked, Is.EqualTo(1));
            Assert.That(harness.Realm.UserIds.Where(id => !harness.CarriesTerms(id)), Is.Empty);
        });
    }

    [Test]
    public async Task Run_ClientLacksManageUsers_StopsNamingTheRoleAndResumeFinishesOnceGranted()
    {
        harness.Realm.SeedUsers(50);
        var rollout = await harness.StartRolloutAsync();
        harness.Simulator.Faults.FailNext(1_000, 403, method: "PUT");

        var first = await harness.Runner().RunAsync(rollout.Id);
        harness.Simulator.Faults.Reset();
        var second = await harness.Runner().RunAsync(rollout.Id);

        Assert.Multiple(() =>
        {
            Assert.That(first.End, Is.EqualTo(RunEnd.Interrupted));
            Assert.That(first.Rollout.Message, Does.StartWith("Stopped: Keycloak answered 403 Forbidden to PUT /admin/realms/"));
            Assert.That(first.Rollout.Message, Does.Contain("lacks the realm-management role manage-users of realm"));
            Assert.That(first.Rollout.Message, Does.EndWith("lists the roles of each feature). Resume continues where it stopped."));
            Assert.That(second.End, Is.EqualTo(RunEnd.Completed), second.Interruption?.ToString());
            Assert.That(harness.Realm.UserIds.Where(id => !harness.CarriesTerms(id)), Is.Empty);
        });
    }

    [Test]
    public async Task Retry_AfterTheAdministratorFixedOneOfTwoRefusedUsers_MarksItAndKeepsTheOtherWithKeycloaksLatestReason()
    {
        harness.Realm.SeedUsers(50);
        var fixedLater = harness.Realm.UserIds[10];
        var stillBad = harness.Realm.UserIds[20];
        Legacy(fixedLater, lastName: "Pérez\"");
        Legacy(stillBad, firstName: "Ana\n");
        var rollout = await harness.StartRolloutAsync();
        var run = await harness.Runner().RunAsync(rollout.Id);
        Legacy(fixedLater, lastName: "Pérez");
        Legacy(stillBad, firstName: "Ana\n", email: "nope");
        harness.Simulator.ClearRequests();

        var retry = await harness.Services.GetRequiredService<RolloutRetry>().RetryAsync(run.Rollout);

        var failed = await harness.Store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, null, 10);
        Assert.Multiple(() =>
        {
            Assert.That((retry.Retried, retry.Marked, retry.Settled, retry.StillFailed, retry.Stopped), Is.EqualTo((2, 1, 0, 1, (string?)null)));
            Assert.That(harness.CarriesTerms(fixedLater), Is.True);
            Assert.That(harness.CarriesTerms(stillBad), Is.False);
            Assert.That(retry.Rollout.Counts, Is.EqualTo(new RolloutCounts(Marked: 49, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 1)));
            Assert.That(retry.Rollout.Status, Is.EqualTo(RolloutStatus.Completed));
            Assert.That(failed.Single().UserId, Is.EqualTo(stillBad));
            Assert.That(failed.Single().Reason, Is.EqualTo("400: email error-invalid-email; firstName error-person-name-invalid-character"));
            Assert.That(harness.UserPuts().Select(put => put.UserId), Is.EqualTo(new[] { fixedLater }));
        });
    }

    [Test]
    public async Task Exempt_MarkedUser_RecordedActionRemovedAndTheSweepAndRetryLeaveThemAlone()
    {
        harness.Realm.SeedUsers(120);
        var tester = harness.Realm.UserIds[7];
        var early = harness.Realm.UserIds[110];
        var rollout = await harness.StartRolloutAsync();
        var exemptions = harness.Services.GetRequiredService<RolloutExemptions>();
        var beforeTheWalk = await exemptions.ExemptAsync(rollout, Username(early), "a robot account", "test");
        ExemptionResult? mid = null;
        var progress = new InlineProgress(current =>
        {
            if (current.Phase == RolloutPhase.Sweep && mid is null)
            {
                mid = exemptions.ExemptAsync(current, tester, "a test account", "test").GetAwaiter().GetResult();
            }
        });

        var run = await harness.Runner().RunAsync(rollout.Id, progress);
        await harness.Services.GetRequiredService<RolloutRetry>().RetryAsync(run.Rollout);

        var exempted = await harness.Store.ListUsersAsync(rollout.Id, RolloutUserKind.Exempted, null, 10);
        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Completed), run.Interruption?.ToString());
            Assert.That((beforeTheWalk.Was, beforeTheWalk.ActionRemoved), Is.EqualTo(((UserOutcome?)null, false)));
            Assert.That((mid!.Was, mid.ActionRemoved), Is.EqualTo(((UserOutcome?)UserOutcome.Marked, true)));
            Assert.That(mid.Outcome, Is.EqualTo(ExemptionOutcome.ActionRemoved));
            Assert.That(harness.CarriesTerms(tester) || harness.CarriesTerms(early), Is.False, "the sweep put an exempted user's action back");
            Assert.That(harness.UserPuts().Count(put => put.UserId == early), Is.Zero);
            Assert.That(run.Rollout.Counts, Is.EqualTo(new RolloutCounts(Marked: 118, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 0, Exempted: 2)));
            Assert.That(exempted.Select(user => user.UserId), Is.EquivalentTo(new[] { tester, early }));
            Assert.That(exempted.Single(user => user.UserId == tester).Reason, Does.StartWith("Exempted by test on ").And.EndWith(": a test account"));
        });
    }

    [Test]
    public async Task Exempt_UserWhoCarriedTheActionBefore_LeavesItAndSaysSo()
    {
        harness.Realm.SeedUsers(20);
        var before = harness.Realm.UserIds[3];
        harness.Realm.SetRequiredActions(before, SimulatedRealm.TermsAction);
        var run = await harness.Runner().RunAsync((await harness.StartRolloutAsync()).Id);

        var result = await harness.Services.GetRequiredService<RolloutExemptions>().ExemptAsync(run.Rollout, before, "asked by a test", "test");

        Assert.Multiple(() =>
        {
            Assert.That((result.Was, result.ActionRemoved), Is.EqualTo(((UserOutcome?)UserOutcome.AlreadyPending, false)));
            Assert.That((result.Outcome, result.RemovalRefused), Is.EqualTo((ExemptionOutcome.ActionKept, (ExemptionRemovalRefusal?)null)));
            Assert.That(harness.CarriesTerms(before), Is.True);
            Assert.That(result.Rollout.Counts.AlreadyPending, Is.Zero);
            Assert.That(result.Rollout.Counts.Exempted, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Exempt_MarkedUserWhoseStoredProfileKeycloakRefuses_ExemptedWithKeycloaksReasonAndTheActionLeft()
    {
        harness.Realm.SeedUsers(10);
        var marked = harness.Realm.UserIds[4];
        var run = await harness.Runner().RunAsync((await harness.StartRolloutAsync()).Id);
        Legacy(marked, lastName: "García\nLópez");

        var result = await harness.Services.GetRequiredService<RolloutExemptions>().ExemptAsync(run.Rollout, marked, "asked by a test", "test");

        Assert.Multiple(() =>
        {
            Assert.That((result.Was, result.ActionRemoved, result.Outcome),
                Is.EqualTo(((UserOutcome?)UserOutcome.Marked, false, ExemptionOutcome.ActionRemovalRefused)));
            Assert.That(result.RemovalRefused!.Reason, Is.EqualTo("400: lastName error-person-name-invalid-character"));
            Assert.That(result.RemovalRefused.Errors.Select(error => (error.Field, error.ErrorMessage)),
                Is.EqualTo(new[] { ((string?)"lastName", "error-person-name-invalid-character") }));
            Assert.That(harness.CarriesTerms(marked), Is.True);
            Assert.That(result.Rollout.Counts.Exempted, Is.EqualTo(1));
        });
    }

    [Test]
    public void Exempt_UnknownUser_RefusedWithTheReason()
    {
        var exception = Assert.ThrowsAsync<RolloutException>(async () =>
            await harness.Services.GetRequiredService<RolloutExemptions>().ExemptAsync(await harness.StartRolloutAsync(), "nobody", "x", "test"));

        Assert.That((exception!.Refusal, exception.Facts.Realm, exception.Facts.User), Is.EqualTo((RolloutRefusal.NoSuchUser, "externos", "nobody")));
    }

    /// <summary>Stores values the user profile refuses, as a partial import or an LDAP sync leaves them.</summary>
    private void Legacy(string id, string? email = null, string? firstName = null, string? lastName = null)
    {
        var user = harness.Realm.GetUser(id)!;
        harness.Realm.DeleteUser(id);
        user["email"] = email ?? user["email"]!.GetValue<string>();
        user["firstName"] = firstName ?? user["firstName"]!.GetValue<string>();
        user["lastName"] = lastName ?? user["lastName"]!.GetValue<string>();
        harness.Realm.AddUser(user);
    }

    private string Username(string id) => harness.Realm.GetUser(id)!["username"]!.GetValue<string>();
}
