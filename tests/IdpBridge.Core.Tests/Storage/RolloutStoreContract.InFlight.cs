using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak.Http;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The cap on requests in flight a rollout ran under: stored by the checkpoint's and the release's UPDATE, read back whole.</summary>
public abstract partial class RolloutStoreContract
{
    [Test]
    public async Task CheckpointAsync_WithTheInFlightCap_StoresItAndALaterOneReplacesIt()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        var backedOff = new RolloutInFlight(12, InFlightMode.Adaptive, 64, 3,
            new ThrottleChange(T0.AddSeconds(4), 16, 12, ThrottleReason.LatencyRose, 41.2, 18.1));
        var halved = new RolloutInFlight(4, InFlightMode.Fixed, 8, 1, new ThrottleChange(T0.AddSeconds(7), 8, 4, ThrottleReason.ServiceUnavailable));

        // Act
        var before = rollout.InFlight;
        await Store.CheckpointAsync(
            rollout.Id, Owner, [new UserResult("u1", UserOutcome.Marked)], [], RolloutPhase.Scan, new ScanCursor("u1", 1), null,
            T0.AddSeconds(5), T0.AddMinutes(2), backedOff);
        var first = (await Store.GetAsync(rollout.Id))!;
        var found = (await Store.FindAsync(Realm, Policy, 2))!;
        var listed = (await Store.ListAsync(Realm))[0];
        await Store.CheckpointAsync(rollout.Id, Owner, [], [], RolloutPhase.Scan, new ScanCursor("u1", 1), null, T0.AddSeconds(6), T0.AddMinutes(2));
        var withoutOne = (await Store.GetAsync(rollout.Id))!;
        await Store.CheckpointAsync(
            rollout.Id, Owner, [], [], RolloutPhase.Scan, new ScanCursor("u1", 1), null, T0.AddSeconds(8), T0.AddMinutes(2), halved);
        var second = (await Store.GetAsync(rollout.Id))!;

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(before, Is.Null, "a rollout never run has no cap");
            Assert.That(first.InFlight, Is.EqualTo(backedOff));
            Assert.That(found.InFlight, Is.EqualTo(backedOff), "found by version");
            Assert.That(listed.InFlight, Is.EqualTo(backedOff), "listed");
            Assert.That(withoutOne.InFlight, Is.EqualTo(backedOff), "a checkpoint without the cap keeps the stored one");
            Assert.That(second.InFlight, Is.EqualTo(halved), "facts of the earlier change left behind");
            Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM rollouts WHERE cap_change_reason = 'unavailable_503'"), Is.EqualTo(1),
                "the reason is stored as its code");
        });
    }

    [Test]
    public async Task ReleaseLeaseAsync_WithTheInFlightCap_StoresItOnlyForTheHolder()
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        await Store.CheckpointAsync(
            rollout.Id, Owner, [], [], RolloutPhase.Scan, ScanCursor.Start, null, T0.AddSeconds(1), T0.AddMinutes(1),
            new RolloutInFlight(8, InFlightMode.Adaptive, 64, 1, new ThrottleChange(T0, 4, 8, ThrottleReason.LatencyFlat, 2.5, 2.4)));
        var unchanged = new RolloutInFlight(4, InFlightMode.Adaptive, 64, 0, null);
        var recovered = new RolloutInFlight(5, InFlightMode.Fixed, 16, 2, new ThrottleChange(T0.AddSeconds(2), 4, 5, ThrottleReason.Recovered));

        // Act
        await Store.ReleaseLeaseAsync(rollout.Id, Other, "not mine", T0.AddSeconds(2), recovered);
        var afterStranger = (await Store.GetAsync(rollout.Id))!;
        await Store.ReleaseLeaseAsync(rollout.Id, Owner, "Stopped by request.", T0.AddSeconds(3), unchanged);
        var released = (await Store.GetAsync(rollout.Id))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterStranger.InFlight!.Cap, Is.EqualTo(8), "a stranger's release wrote the cap");
            Assert.That(released.InFlight, Is.EqualTo(unchanged), "an executor whose cap never changed clears the last change");
            Assert.That(released.LeaseOwner, Is.Null);
        });
    }

    [Test]
    public async Task CheckpointAsync_AThroughputChange_StoresItsAnswersASecondAndTheLevelsLatency()
    {
        // Arrange: the cap doubled because 32 in flight answered over a fifth more a second than 16; 64 then brought under 5% more.
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        var rose = new RolloutInFlight(64, InFlightMode.Adaptive, 64, 4,
            new ThrottleChange(T0.AddSeconds(3), 32, 64, ThrottleReason.ThroughputRose, 21.4, AnswersPerSecond: 612.5, BelowAnswersPerSecond: 498.3));
        var flat = new RolloutInFlight(32, InFlightMode.Adaptive, 64, 5,
            new ThrottleChange(T0.AddSeconds(9), 64, 32, ThrottleReason.ThroughputFlat, 88.7, AnswersPerSecond: 640.1, BelowAnswersPerSecond: 612.5));

        // Act
        await Store.CheckpointAsync(rollout.Id, Owner, [], [], RolloutPhase.Scan, ScanCursor.Start, null, T0.AddSeconds(4), T0.AddMinutes(2), rose);
        var checkpointed = (await Store.GetAsync(rollout.Id))!;
        var storedRose = await ScalarAsync(Database,
            "SELECT count(*) FROM rollouts WHERE cap_change_reason = 'throughput_rose' AND cap_change_answers_per_s = 612.5 " +
            "AND cap_change_below_answers_per_s > 498.2 AND cap_change_below_answers_per_s < 498.4 AND cap_change_calmest_ms IS NULL");
        await Store.ReleaseLeaseAsync(rollout.Id, Owner, "Stopped by request.", T0.AddSeconds(10), flat);
        var released = (await Store.GetAsync(rollout.Id))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(checkpointed.InFlight, Is.EqualTo(rose));
            Assert.That(storedRose, Is.EqualTo(1), "the reason as its code, the answers a second in their own columns, no calmest window");
            Assert.That(released.InFlight, Is.EqualTo(flat));
            Assert.That(released.InFlight!.LastChange!.LatencyMs, Is.EqualTo(88.7), "the level's mean latency");
        });
    }

    /// <summary>Every reason there is, so a new one the schema does not know yet fails here.</summary>
    private static IEnumerable<ThrottleReason> EveryReason() => Enum.GetValues<ThrottleReason>();

    [TestCaseSource(nameof(EveryReason))]
    public async Task CheckpointAsync_EachReason_ReadBackAsStored(ThrottleReason reason)
    {
        // Arrange
        var rollout = (await CreateAsync()).Rollout;
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1));
        var inFlight = new RolloutInFlight(3, InFlightMode.Fixed, 6, 7, new ThrottleChange(T0, 6, 3, reason, 0.5, 0.1, 40.5, 30.2));

        // Act
        await Store.CheckpointAsync(rollout.Id, Owner, [], [], RolloutPhase.Scan, ScanCursor.Start, null, T0, T0.AddMinutes(1), inFlight);

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That((await Store.GetAsync(rollout.Id))!.InFlight, Is.EqualTo(inFlight));
            Assert.That(await ScalarAsync(Database, $"SELECT count(*) FROM rollouts WHERE cap_change_reason = '{reason.Code()}'"), Is.EqualTo(1));
        });
    }
}
