using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Storage.Migrations;
using IdpBridge.Keycloak;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// What every <see cref="IRolloutStore"/> must do, run against each provider on a fresh database per test: one rollout
/// per version, one lease holder among many, and no write from an executor that lost its lease.
/// </summary>
public abstract partial class RolloutStoreContract : StoreContract
{
    protected static readonly LeaseOwner Owner = new("replica-a/100/aaaa");
    protected static readonly LeaseOwner Other = new("replica-b/200/bbbb");

    protected IRolloutStore Store { get; private set; } = null!;

    [SetUp]
    public void CreateStoreOnDatabase() => Store = StoreOn(Database);

    [Test]
    public async Task CreateAsync_Twice_ReturnsTheSameRolloutCreatedOnce()
    {
        // Act
        var (first, created) = await CreateAsync();
        var (second, createdAgain) = await Store.CreateAsync(Realm, Policy, 2, "other-hash", T0.AddHours(1), "cli", 7);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(created, Is.True);
            Assert.That(createdAgain, Is.False);
            Assert.That(second, Is.EqualTo(first), "the second start changed the stored rollout");
            Assert.That(first.Status, Is.EqualTo(RolloutStatus.Running));
            Assert.That(first.Phase, Is.EqualTo(RolloutPhase.Scan));
            Assert.That(first.Cursor, Is.EqualTo(ScanCursor.Start));
            Assert.That(first.Counts, Is.EqualTo(RolloutCounts.Zero));
            Assert.That(first.UsersTotal, Is.EqualTo(120));
            Assert.That(first.StartedBy, Is.EqualTo("service"));
            Assert.That(first.ContentHash, Is.EqualTo("hash-2"));
            Assert.That(first.LeaseOwner, Is.Null);
            Assert.That(first.UpdatedAt, Is.EqualTo(T0));
        });
        Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM rollouts"), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateAsync_TwoReplicasAtOnce_OneCreatedBothGetIt()
    {
        // Arrange: two handles on the database, as two replicas have.
        var stores = new[] { Store, StoreOn(OpenAgain(Database)) };

        // Act
        var results = await Task.WhenAll(stores.Select(store => Task.Run(() => store.CreateAsync(Realm, Policy, 2, "hash-2", T0, "service", 120))));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(result => result.Created), Is.EqualTo(1));
            Assert.That(results.Select(result => result.Rollout.Id).Distinct().Count(), Is.EqualTo(1));
        });
        Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM rollouts"), Is.EqualTo(1));
    }

    [Test]
    public async Task TryAcquireLeaseAsync_SixteenReplicasAtOnce_ExactlyOneGetsIt()
    {
        // Arrange: sixteen replicas, each with its own handle on the database, start the same rollout at once.
        var rollout = (await CreateAsync()).Rollout;
        var replicas = Enumerable.Range(0, 16).Select(index => (Owner: new LeaseOwner($"replica-{index}/1/{index:x4}"), Store: StoreOn(OpenAgain(Database)))).ToList();
        using var start = new ManualResetEventSlim();

        // Act
        var attempts = replicas.Select(replica => Task.Run(async () =>
        {
            start.Wait();
            return (replica.Owner, Won: await replica.Store.TryAcquireLeaseAsync(rollout.Id, replica.Owner, T0, T0.AddMinutes(1)));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        // Assert
        var winners = results.Where(result => result.Won).Select(result => result.Owner).ToList();
        Assert.That(winners, Has.Count.EqualTo(1), "several replicas would run the rollout at once");
        var stored = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(stored.LeaseOwner, Is.EqualTo(winners[0]));
            Assert.That(stored.LeaseUntil, Is.EqualTo(T0.AddMinutes(1)));
        });
    }

    [Test]
    public async Task TryAcquireLeaseAsync_HeldUntilItExpires_ThenTakenOver()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));

        // Act
        var whileLive = await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddSeconds(59), T0.AddMinutes(2));
        var atExpiry = await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddMinutes(1), T0.AddMinutes(2));
        var ownerAgain = await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0.AddSeconds(30), T0.AddMinutes(1).AddSeconds(30));
        var afterExpiry = await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddMinutes(2), T0.AddMinutes(3));

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(whileLive, Is.False);
            Assert.That(atExpiry, Is.False, "a lease holds up to and including its end");
            Assert.That(ownerAgain, Is.True, "the holder takes its own lease again");
            Assert.That(afterExpiry, Is.True);
            Assert.That((await Store.GetAsync(rollout.Id))!.LeaseOwner, Is.EqualTo(Other));
            Assert.That(await Store.RenewLeaseAsync(rollout.Id, Owner, T0.AddMinutes(2), T0.AddMinutes(4)), Is.False, "the old holder renewed a lease it lost");
        });
    }

    [Test]
    public async Task TryAcquireLeaseAsync_HolderKnownDead_TakenOverAtOnce()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));

        // Act
        var naming = await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddSeconds(1), T0.AddMinutes(2), deadOwner: new LeaseOwner("replica-c/300/cccc"));
        var takeover = await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddSeconds(1), T0.AddMinutes(2), deadOwner: Owner);

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(naming, Is.False, "a dead executor that does not hold the lease gives no right to it");
            Assert.That(takeover, Is.True);
            var stored = (await Store.GetAsync(rollout.Id))!;
            Assert.That(stored.LeaseOwner, Is.EqualTo(Other));
            Assert.That(stored.LeaseUntil, Is.EqualTo(T0.AddMinutes(2)));
        });
    }

    [Test]
    public async Task TryAcquireLeaseAsync_RolloutNotRunning_Refused()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.CancelAsync(rollout.Id, "Stop", T0);

        // Act / Assert
        Assert.That(await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1)), Is.False);
        Assert.That(await Store.TryAcquireLeaseAsync(rollout.Id + 1000, Owner, T0, T0.AddMinutes(1)), Is.False);
    }

    [Test]
    public async Task ReleaseLeaseAsync_ByHolder_FreesItAndKeepsTheReason()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));

        // Act
        await Store.ReleaseLeaseAsync(rollout.Id, Other, "not mine", T0.AddSeconds(1));
        var afterStranger = (await Store.GetAsync(rollout.Id))!;
        await Store.ReleaseLeaseAsync(rollout.Id, Owner, "Stopped by request.", T0.AddSeconds(2));
        var released = (await Store.GetAsync(rollout.Id))!;

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(afterStranger.LeaseOwner, Is.EqualTo(Owner), "a stranger released the lease");
            Assert.That(afterStranger.Message, Is.Null);
            Assert.That(released.LeaseOwner, Is.Null);
            Assert.That(released.LeaseUntil, Is.Null);
            Assert.That(released.Message, Is.EqualTo("Stopped by request."));
            Assert.That(released.UpdatedAt, Is.EqualTo(T0.AddSeconds(2)));
            Assert.That(await Store.TryAcquireLeaseAsync(rollout.Id, Other, T0.AddSeconds(3), T0.AddMinutes(1)), Is.True);
            Assert.That((await Store.GetAsync(rollout.Id))!.Message, Is.Null, "a new executor clears the last stop's reason");
        });
    }

    [Test]
    public async Task CheckpointAsync_NotTheHolder_LeaseLostAndNothingWritten()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.RecordPendingAsync(rollout.Id, Owner, ["u1"]);

        // Act
        var pending = await Store.RecordPendingAsync(rollout.Id, Other, ["u2", "u3"]);
        var stored = await Store.CheckpointAsync(
            rollout.Id, Other, [new UserResult("u1", UserOutcome.Marked), new UserResult("u2", UserOutcome.Marked)], ["u1"],
            RolloutPhase.Sweep, new ScanCursor("user0002", 2), 99, T0.AddSeconds(5), T0.AddMinutes(5));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(async () =>
        {
            Assert.That(pending, Is.False);
            Assert.That(stored, Is.EqualTo(CheckpointResult.LeaseLost));
            Assert.That(after, Is.EqualTo(rollout with { LeaseOwner = Owner, LeaseUntil = T0.AddMinutes(1) }), "the rollout changed");
            Assert.That(await Store.GetHandledAsync(rollout.Id, ["u1", "u2", "u3"]), Is.EquivalentTo(new Dictionary<string, bool> { ["u1"] = false }));
            Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM rollout_users"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CheckpointAsync_ByHolder_StoresCursorPhaseTotalAndRenewsTheLease()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));

        // Act
        var first = await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked), new UserResult("u2", UserOutcome.Skipped)], [],
            RolloutPhase.Scan, new ScanCursor("user0002", 2), null, T0.AddSeconds(5), T0.AddMinutes(2));
        var second = await Store.CheckpointAsync(
            rollout.Id, Owner, [], [], RolloutPhase.Sweep, ScanCursor.Start, 130, T0.AddSeconds(6), T0.AddMinutes(3));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(CheckpointResult.Stored));
            Assert.That(second, Is.EqualTo(CheckpointResult.Stored));
            Assert.That(after.Phase, Is.EqualTo(RolloutPhase.Sweep));
            Assert.That(after.Cursor, Is.EqualTo(ScanCursor.Start));
            Assert.That(after.UsersTotal, Is.EqualTo(130));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(1, 0, 0, 1, 0)));
            Assert.That(after.LeaseUntil, Is.EqualTo(T0.AddMinutes(3)));
            Assert.That(after.UpdatedAt, Is.EqualTo(T0.AddSeconds(6)));
        });
    }

    [Test]
    public async Task CheckpointAsync_AfterCancel_ReturnsCancelledButStoresTheResults()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.RecordPendingAsync(rollout.Id, Owner, ["u1", "u2"]);
        await Store.CancelAsync(rollout.Id, "Cancelled by ana", T0.AddSeconds(1));

        // Act
        var stored = await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked), new UserResult("u2", UserOutcome.AlreadyAccepted)], [],
            RolloutPhase.Scan, new ScanCursor("user0002", 2), null, T0.AddSeconds(2), T0.AddMinutes(1));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(async () =>
        {
            Assert.That(stored, Is.EqualTo(CheckpointResult.Cancelled));
            Assert.That(after.Status, Is.EqualTo(RolloutStatus.Cancelled));
            Assert.That(after.Message, Is.EqualTo("Cancelled by ana"));
            Assert.That(after.FinishedAt, Is.EqualTo(T0.AddSeconds(1)));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(1, 0, 1, 0, 0)));
            Assert.That(after.Cursor, Is.EqualTo(new ScanCursor("user0002", 2)));
            Assert.That(await Store.GetHandledAsync(rollout.Id, ["u1", "u2"]), Is.EquivalentTo(new Dictionary<string, bool> { ["u1"] = true, ["u2"] = true }));
        });
    }

    [Test]
    public async Task CheckpointAsync_PendingRowsMadeFinal_EachUserCountedOnce()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.RecordPendingAsync(rollout.Id, Owner, ["u1", "u2"]);
        var whilePending = await Store.GetHandledAsync(rollout.Id, ["u1", "u2", "u3"]);
        UserResult[] results = [new("u1", UserOutcome.Marked), new("u2", UserOutcome.Failed, "ana", "400: invalid email")];

        // Act: the same outcomes twice (a page read again after a step back must not count its users again).
        await Store.CheckpointAsync(rollout.Id, Owner, results, [], RolloutPhase.Scan, new ScanCursor("ana", 2), null, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.AlreadyPending), results[1]], [], RolloutPhase.Scan, new ScanCursor("ana", 2), null,
            T0, T0.AddMinutes(1));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(async () =>
        {
            Assert.That(whilePending, Is.EquivalentTo(new Dictionary<string, bool> { ["u1"] = false, ["u2"] = false }));
            Assert.That(await Store.GetHandledAsync(rollout.Id, ["u1", "u2", "u3"]), Is.EquivalentTo(new Dictionary<string, bool> { ["u1"] = true, ["u2"] = true }));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(Marked: 1, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 1)));
            Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM rollout_users WHERE user_id = 'u1' AND outcome = 'marked'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CheckpointAsync_AbandonedUsers_TheirPendingRowsRemovedFinalRowsKept()
    {
        // Arrange: u0 is final from an earlier page; u1..u3 are pending.
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.RecordPendingAsync(rollout.Id, Owner, ["u0"]);
        await Store.CheckpointAsync(rollout.Id, Owner, [new UserResult("u0", UserOutcome.Marked)], [], RolloutPhase.Scan, new ScanCursor("u0", 1), null, T0, T0.AddMinutes(1));
        await Store.RecordPendingAsync(rollout.Id, Owner, ["u1", "u2", "u3"]);

        // Act: u1 was written, u2's write never started, u3's outcome is unknown (still pending); u0 named by mistake.
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked)], ["u2", "u0"], RolloutPhase.Scan, new ScanCursor("u0", 1), null,
            T0.AddSeconds(1), T0.AddMinutes(1));

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(
                await Store.GetHandledAsync(rollout.Id, ["u0", "u1", "u2", "u3"]),
                Is.EquivalentTo(new Dictionary<string, bool> { ["u0"] = true, ["u1"] = true, ["u3"] = false }));
            Assert.That((await Store.GetAsync(rollout.Id))!.Counts.Marked, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RecordPendingAsync_ManyUsers_AllRecordedAcrossStatementChunks()
    {
        // Arrange: more users than one multi-row statement carries.
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        var users = Enumerable.Range(0, 450).Select(index => $"user-{index:D4}").ToList();

        // Act
        var recorded = await Store.RecordPendingAsync(rollout.Id, Owner, users);
        var again = await Store.RecordPendingAsync(rollout.Id, Owner, users.Take(10).ToList());
        var stored = await Store.CheckpointAsync(
            rollout.Id, Owner, [.. users.Select(user => new UserResult(user, UserOutcome.Marked))], [], RolloutPhase.Scan,
            new ScanCursor(users[^1], 450), null, T0, T0.AddMinutes(1));
        var handled = await Store.GetHandledAsync(rollout.Id, [.. users, "absent"]);

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(recorded, Is.True);
            Assert.That(again, Is.True);
            Assert.That(stored, Is.EqualTo(CheckpointResult.Stored));
            Assert.That(handled.Keys, Is.EquivalentTo(users));
            Assert.That(handled.Values, Has.All.True);
            Assert.That((await Store.GetAsync(rollout.Id))!.Counts.Marked, Is.EqualTo(450));
        });
    }

    [Test]
    public async Task CompleteAsync_OnlyTheHolderCompletes()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));

        // Act
        var byStranger = await Store.CompleteAsync(rollout.Id, Other, T0.AddSeconds(1));
        var byHolder = await Store.CompleteAsync(rollout.Id, Owner, T0.AddSeconds(2));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(byStranger, Is.False);
            Assert.That(byHolder, Is.True);
            Assert.That(after.Status, Is.EqualTo(RolloutStatus.Completed));
            Assert.That(after.Phase, Is.EqualTo(RolloutPhase.Done));
            Assert.That(after.LeaseOwner, Is.Null);
            Assert.That(after.LeaseUntil, Is.Null);
            Assert.That(after.FinishedAt, Is.EqualTo(T0.AddSeconds(2)));
        });
    }

    [Test]
    public async Task CancelAsync_RunningOrNot_CancelsOnlyARunningOne()
    {
        // Arrange
        var running = (await CreateAsync()).Rollout;
        var completed = (await Store.CreateAsync(Realm, Policy, 3, "hash-3", T0, "service", 120)).Rollout;
        await Store.TryAcquireLeaseAsync(completed.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CompleteAsync(completed.Id, Owner, T0.AddSeconds(1));

        // Act
        var cancelled = await Store.CancelAsync(running.Id, "Superseded by version 3", T0.AddSeconds(2));
        var notCancelled = await Store.CancelAsync(completed.Id, "Too late", T0.AddSeconds(3));
        var absent = await Store.CancelAsync(running.Id + completed.Id + 1000, "Nothing", T0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(cancelled!.Status, Is.EqualTo(RolloutStatus.Cancelled));
            Assert.That(cancelled.Message, Is.EqualTo("Superseded by version 3"));
            Assert.That(cancelled.FinishedAt, Is.EqualTo(T0.AddSeconds(2)));
            Assert.That(notCancelled!.Status, Is.EqualTo(RolloutStatus.Completed));
            Assert.That(notCancelled.Message, Is.Null);
            Assert.That(notCancelled.FinishedAt, Is.EqualTo(T0.AddSeconds(1)));
            Assert.That(absent, Is.Null);
        });
    }

    [Test]
    public async Task ReopenAsync_Cancelled_RunsAgainFromItsCursorWithItsCounts()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked)], [], RolloutPhase.Scan, new ScanCursor("user0001", 1), null, T0, T0.AddMinutes(1));
        await Store.CancelAsync(rollout.Id, "Cancelled by ana", T0.AddSeconds(1));
        await Store.ReleaseLeaseAsync(rollout.Id, Owner, null, T0.AddSeconds(1));

        // Act
        var reopened = await Store.ReopenAsync(rollout.Id, T0.AddSeconds(2));
        var reopenedAgain = await Store.ReopenAsync(rollout.Id, T0.AddSeconds(3));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(reopened, Is.True);
            Assert.That(reopenedAgain, Is.False, "a running rollout is not cancelled");
            Assert.That(after.Status, Is.EqualTo(RolloutStatus.Running));
            Assert.That(after.FinishedAt, Is.Null);
            Assert.That(after.Message, Is.Null);
            Assert.That(after.UpdatedAt, Is.EqualTo(T0.AddSeconds(2)));
            Assert.That(after.Cursor, Is.EqualTo(new ScanCursor("user0001", 1)));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(1, 0, 0, 0, 0)));
        });
    }

    [Test]
    public async Task ListFailuresAsync_SomeFailed_OnlyThoseInUserIdOrderUpToMax()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner,
            [
                new UserResult("u3", UserOutcome.Failed, "carla", "404: the user was deleted during the rollout"),
                new UserResult("u1", UserOutcome.Failed, "ana", "400: error-invalid-email"),
                new UserResult("u2", UserOutcome.Marked),
                new UserResult("u4", UserOutcome.Failed, "dora", null),
            ],
            [], RolloutPhase.Scan, new ScanCursor("dora", 4), null, T0, T0.AddMinutes(1));

        // Act
        var two = await Store.ListFailuresAsync(rollout.Id, 2);
        var all = await Store.ListFailuresAsync(rollout.Id, 20);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(new[]
            {
                new UserResult("u1", UserOutcome.Failed, "ana", "400: error-invalid-email"),
                new UserResult("u3", UserOutcome.Failed, "carla", "404: the user was deleted during the rollout"),
            }));
            Assert.That(all.Select(failure => failure.UserId), Is.EqualTo(new[] { "u1", "u3", "u4" }));
            Assert.That(all[2].Reason, Is.Null);
        });
    }

    [Test]
    public async Task CheckpointAsync_RefusedWithFieldErrors_ListedWithKeycloaksFieldMessageAndParams()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        KeycloakFieldError[] errors =
        [
            new("email", "error-invalid-email", ["email", "ana@@example"]),
            new("lastName", "error-person-name-invalid-character", ["lastName"]),
        ];

        // Act
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Failed, "ana", "400: email: error-invalid-email", errors), new UserResult("u2", UserOutcome.Marked)],
            [], RolloutPhase.Scan, new ScanCursor("bea", 2), null, T0, T0.AddMinutes(1));
        var listed = await Store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, null, 10);
        var failures = await Store.ListFailuresAsync(rollout.Id, 10);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(listed, Has.Count.EqualTo(1));
            Assert.That((listed[0].UserId, listed[0].Username, listed[0].Outcome, listed[0].Reason, listed[0].Remarked, listed[0].UpdatedAt),
                Is.EqualTo(("u1", (string?)"ana", UserOutcome.Failed, (string?)"400: email: error-invalid-email", 0, (DateTimeOffset?)null)));
            Assert.That(listed[0].Errors.Select(Show), Is.EqualTo(errors.Select(Show)));
            Assert.That(failures.Single().Errors!.Select(Show), Is.EqualTo(errors.Select(Show)));
        });
    }

    [Test]
    public async Task ReviseAsync_RetriedFailureMarked_MovesTheCountersOnceEvenWhenAppliedTwice()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Failed, "ana", "400: lastName"), new UserResult("u2", UserOutcome.Failed, "bea", "400: email")],
            [], RolloutPhase.Scan, new ScanCursor("bea", 2), null, T0, T0.AddMinutes(1));
        UserRevision[] retried = [new(new UserResult("u1", UserOutcome.Marked, "ana"), UserOutcome.Failed)];

        // Act: a second retry at the same moment finds the row changed and counts nothing.
        var first = await Store.ReviseAsync(rollout.Id, retried, T0.AddHours(1));
        var second = await StoreOn(OpenAgain(Database)).ReviseAsync(rollout.Id, retried, T0.AddHours(1));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(async () =>
        {
            Assert.That((first, second), Is.EqualTo((1, 0)));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(Marked: 1, AlreadyPending: 0, AlreadyAccepted: 0, Skipped: 0, Failed: 1)));
            Assert.That((await Store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, null, 10)).Select(user => user.UserId), Is.EqualTo(new[] { "u2" }));
            Assert.That(await Store.GetOutcomesAsync(rollout.Id, ["u1", "u2", "u3"]),
                Is.EquivalentTo(new Dictionary<string, UserOutcome?> { ["u1"] = UserOutcome.Marked, ["u2"] = UserOutcome.Failed }));
            Assert.That(await ScalarAsync(Database, $"SELECT count(*) FROM rollout_users WHERE user_id = 'u1' AND reason IS NULL AND updated_at IS NOT NULL"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ReviseAsync_SweepPutsActionsBack_CountsRemarkedAndListsTheUsers()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked), new UserResult("u2", UserOutcome.AlreadyPending), new UserResult("u3", UserOutcome.Marked)],
            [], RolloutPhase.Scan, new ScanCursor("carla", 3), null, T0, T0.AddMinutes(1));

        // Act
        var applied = await Store.ReviseAsync(
            rollout.Id,
            [
                new(new UserResult("u1", UserOutcome.Marked, "ana"), UserOutcome.Marked, Remark: true),
                new(new UserResult("u2", UserOutcome.Marked, "bea"), UserOutcome.AlreadyPending, Remark: true),
            ],
            T0.AddMinutes(5));

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        var remarked = await Store.ListUsersAsync(rollout.Id, RolloutUserKind.Remarked, null, 10);
        Assert.Multiple(() =>
        {
            Assert.That(applied, Is.EqualTo(2));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(3, 0, 0, 0, 0, Exempted: 0, Remarked: 2)));
            Assert.That(after.Counts.Scanned, Is.EqualTo(3), "a re-marked user is still one user");
            Assert.That(remarked.Select(user => (user.UserId, user.Username, user.Remarked, user.UpdatedAt)),
                Is.EqualTo(new[] { ("u1", (string?)"ana", 1, (DateTimeOffset?)T0.AddMinutes(5)), ("u2", "bea", 1, T0.AddMinutes(5)) }));
        });
    }

    [Test]
    public async Task ReviseAsync_ExemptionOfAUserNotWalkedYet_InsertedAndTheWalkTreatsItAsHandled()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;

        // Act
        var applied = await Store.ReviseAsync(
            rollout.Id, [new(new UserResult("u9", UserOutcome.Exempted, "zoe", "Exempted by admin: a test account"), Was: null)], T0);
        var again = await Store.ReviseAsync(
            rollout.Id, [new(new UserResult("u9", UserOutcome.Exempted, "zoe", "twice"), Was: null)], T0);

        // Assert
        var after = (await Store.GetAsync(rollout.Id))!;
        Assert.Multiple(async () =>
        {
            Assert.That((applied, again), Is.EqualTo((1, 0)));
            Assert.That(after.Counts, Is.EqualTo(new RolloutCounts(0, 0, 0, 0, 0, Exempted: 1)));
            Assert.That(await Store.GetHandledAsync(rollout.Id, ["u9"]), Is.EquivalentTo(new Dictionary<string, bool> { ["u9"] = true }));
            Assert.That((await Store.ListUsersAsync(rollout.Id, RolloutUserKind.Exempted, null, 10)).Single().Reason, Is.EqualTo("Exempted by admin: a test account"));
        });
    }

    [Test]
    public async Task ListUsersAsync_ManyFailures_PagedAfterTheLastUserId()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        var ids = Enumerable.Range(0, 25).Select(i => $"u{i:D3}").ToList();
        await Store.CheckpointAsync(
            rollout.Id, Owner, [.. ids.Select(id => new UserResult(id, UserOutcome.Failed, id, "400")), new UserResult("v1", UserOutcome.Marked)],
            [], RolloutPhase.Scan, new ScanCursor("z", 26), null, T0, T0.AddMinutes(1));

        // Act
        var pages = new List<IReadOnlyList<RolloutUser>>();
        string? after = null;
        do
        {
            pages.Add(await Store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, after, 10));
            after = pages[^1].Count == 10 ? pages[^1][^1].UserId : null;
        }
        while (after is not null);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(page => page.Count), Is.EqualTo(new[] { 10, 10, 5 }));
            Assert.That(pages.SelectMany(page => page).Select(user => user.UserId), Is.EqualTo(ids));
        });
    }

    [Test]
    public async Task Migration5_RolloutsOfAnOlderSchema_KeptWithTheirUsersAndNewCountersAtZero()
    {
        // Arrange: a database at schema 4 with a rollout and users, then migration 5 alone.
        var older = await CreateDatabaseAsync();
        try
        {
            var migrations = MigrationCatalog.For(older.Provider);
            foreach (var migration in migrations.Take(4))
            {
                await ScalarAsync(older, migration.Sql);
            }

            await ScalarAsync(older,
                "INSERT INTO rollouts (realm, policy, version_number, content_hash, started_at, started_by, status, phase, updated_at, marked, failed) " +
                $"VALUES ('externos', 'privacy', 2, 'h', {Now(older)}, 'cli', 'running', 'scan', {Now(older)}, 1, 1)");
            await ScalarAsync(older,
                "INSERT INTO rollout_users (rollout_id, user_id, outcome, username, reason) VALUES " +
                "(1, 'u1', 'marked', NULL, NULL), (1, 'u2', 'failed', 'bea', '400: error-invalid-email'), (1, 'u3', 'pending', NULL, NULL)");

            // Act: migration 5, then the later ones, whose columns today's store reads (0011: the in-flight cap).
            await ScalarAsync(older, migrations[4].Sql);
            foreach (var later in migrations.Skip(5))
            {
                await ScalarAsync(older, later.Sql);
            }

            // Assert: the schema was made by hand, not by IdpBridge's migration, so nothing granted the service's role.
            var store = StoreOn(Databases.OpenAsOwner(older));
            var rollout = (await store.FindAsync("externos", "privacy", 2))!;
            Assert.Multiple(async () =>
            {
                Assert.That(rollout.Counts, Is.EqualTo(new RolloutCounts(1, 0, 0, 0, 1)));
                Assert.That(await store.GetOutcomesAsync(rollout.Id, ["u1", "u2", "u3"]),
                    Is.EquivalentTo(new Dictionary<string, UserOutcome?> { ["u1"] = UserOutcome.Marked, ["u2"] = UserOutcome.Failed, ["u3"] = null }));
                var failed = (await store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, null, 10)).Single();
                Assert.That((failed.Username, failed.Reason, failed.Errors.Count, failed.Remarked), Is.EqualTo(((string?)"bea", (string?)"400: error-invalid-email", 0, 0)));
                Assert.That(await store.ReviseAsync(rollout.Id, [new(new UserResult("u4", UserOutcome.Exempted, "dan", "test"), null)], T0), Is.EqualTo(1));
            });
        }
        finally
        {
            await DisposeDatabaseAsync(older);
        }
    }

    [Test]
    public async Task ListAsync_SeveralRealms_NewestFirstFilteredByRealm()
    {
        // Arrange
        var first = (await CreateAsync()).Rollout;
        var other = (await Store.CreateAsync("otro", Policy, 2, "hash", T0, "cli", null)).Rollout;
        var second = (await Store.CreateAsync(Realm, Policy, 3, "hash-3", T0, "service", null)).Rollout;

        // Act
        var realm = await Store.ListAsync(Realm);
        var all = await Store.ListAsync(null);

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(realm.Select(rollout => rollout.Id), Is.EqualTo(new[] { second.Id, first.Id }));
            Assert.That(all.Select(rollout => rollout.Id), Is.EqualTo(new[] { second.Id, other.Id, first.Id }));
            Assert.That(await Store.FindAsync("otro", Policy, 2), Is.EqualTo(other));
            Assert.That(await Store.FindAsync(Realm, Policy, 4), Is.Null);
            Assert.That(other.UsersTotal, Is.Null);
        });
    }

    [Test]
    public async Task Times_SubMillisecondsAndOffsets_StoredAsUtcMilliseconds()
    {
        // Arrange: 14:00:00.1239999 at +02:00 is 12:00:00.123 UTC once the sub-millisecond part is dropped.
        var local = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_239_999);
        var rollout = (await Store.CreateAsync(Realm, Policy, 2, "hash-2", local, "service", 1)).Rollout;

        // Act
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, local, local.AddMinutes(1));
        var leased = (await Store.GetAsync(rollout.Id))!;
        await Store.CheckpointAsync(rollout.Id, Owner, [], [], RolloutPhase.Scan, ScanCursor.Start, null, local.AddSeconds(1), local.AddMinutes(2));
        var checkpointed = (await Store.GetAsync(rollout.Id))!;
        var cancelled = (await Store.CancelAsync(rollout.Id, "Stop", local.AddSeconds(2)))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rollout.StartedAt, Is.EqualTo(T0));
            Assert.That(rollout.StartedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(leased.LeaseUntil, Is.EqualTo(T0.AddMinutes(1)));
            Assert.That(leased.LeaseUntil!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(checkpointed.UpdatedAt, Is.EqualTo(T0.AddSeconds(1)));
            Assert.That(checkpointed.LeaseUntil, Is.EqualTo(T0.AddMinutes(2)));
            Assert.That(cancelled.FinishedAt, Is.EqualTo(T0.AddSeconds(2)));
            Assert.That(cancelled.UpdatedAt, Is.EqualTo(T0.AddSeconds(2)));
        });
    }

    private Task<(Rollout Rollout, bool Created)> CreateAsync() => Store.CreateAsync(Realm, Policy, 2, "hash-2", T0, "service", 120);

    private static AdoRolloutStore StoreOn(IStoreDatabase database) => new((IAdoDatabase)database);

    private static string Show(KeycloakFieldError error) => $"{error.Field} {error.ErrorMessage} [{string.Join(",", error.Params)}]";

    /// <summary>T0 as a literal the provider stores times as.</summary>
    private static string Now(IStoreDatabase database) =>
        database.Provider == StorageProvider.Sqlite ? T0.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : "now()";
}
