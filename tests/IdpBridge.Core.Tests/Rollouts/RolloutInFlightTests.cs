using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

/// <summary>
/// The adaptive cap a rollout ran under, as the store keeps it and the status shows it: a rollout on the simulator's
/// latency and 503 faults, on a fake clock that the simulator's latency waits on too (moved only while every request
/// the throttle let through waits there, so each latency the throttle measures is the simulator's).
/// </summary>
[NonParallelizable]
public sealed class RolloutInFlightTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    // Whole seconds, and steps of whole milliseconds: a change's time is stored to the millisecond.
    private readonly FakeTimeProvider time = new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));
    private readonly List<ThrottleChange> changes = [];
    private RolloutHarness harness = null!;
    private CancellationTokenSource? stopping;

    [SetUp]
    public async Task Start()
    {
        changes.Clear();
        stopping = null;
        harness = await RolloutHarness.StartAsync(maxInFlight: null, pageSize: 50, time: time);
        harness.Realm.SeedUsers(400);
        harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(20);
    }

    [TearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [Test]
    public async Task Run_LatencyRisesFiveFold_TheStoredCapShowsTheBackOffWithItsFacts()
    {
        // Arrange: 400 ms after the cap has grown to its ceiling on flat latency (2.5× the time its first measurement
        // takes there: four windows of 128 answers at 3,200 a second), Keycloak slows from 20 to 100 ms; the run stops
        // at the back-off. A slowdown right at a change would read as a doubling that brought fewer answers
        // (throughput_flat), not as latency risen at the same cap.
        harness.Realm.SeedUsers(1_600, startIndex: 401);
        using var stop = new CancellationTokenSource();
        Watch(change =>
        {
            if (change.To == KeycloakOptions.AdaptiveMaxInFlight)
            {
                _ = Task.Delay(TimeSpan.FromMilliseconds(400), time).ContinueWith(
                    _ => harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(100), TaskScheduler.Default);
            }
            else if (change.Reason == ThrottleReason.LatencyRose)
            {
                StopSoon(stop);
            }
        });
        var rollout = await DriveAsync(harness.StartRolloutAsync);

        // Act
        var run = await RunAsync(rollout.Id, stop.Token);
        var stored = (await harness.Store.GetAsync(rollout.Id))!;
        var json = Json(stored);

        // Assert
        var seen = Seen();
        var rose = seen.Count == 0 ? null : seen[^1];
        Assert.Multiple(() =>
        {
            Assert.That(run.End, Is.EqualTo(RunEnd.Interrupted), run.Interruption?.ToString());
            Assert.That(seen.TakeWhile(change => change.Reason != ThrottleReason.LatencyRose),
                Has.All.Matches<ThrottleChange>(change => change.Reason is (ThrottleReason.LatencyFlat or ThrottleReason.ThroughputRose) && change.To > change.From),
                "on flat latency the cap only grew: " + string.Join("; ", seen));
            Assert.That(rose?.Reason, Is.EqualTo(ThrottleReason.LatencyRose), "100 ms after 20 made no back-off last: " + string.Join("; ", seen));
            Assert.That(rose!.To, Is.EqualTo(Math.Max(1, Math.Min(rose.From - 1, rose.From * 3 / 4))), "a quarter off");
            Assert.That(rose.CalmestMs, Is.EqualTo(20).Within(2.5), "the calmest measurement at the ceiling is a 20 ms one");
            Assert.That(rose.LatencyMs, Is.GreaterThan(2 * rose.CalmestMs!.Value).And.AtMost(100.5));
            Assert.That(stored.InFlight, Is.EqualTo(new RolloutInFlight(rose.To, InFlightMode.Adaptive, KeycloakOptions.AdaptiveMaxInFlight, seen.Count, rose)),
                "the store keeps the cap the run stopped at, how often it changed and the back-off with its facts");
            Assert.That((string?)json["inFlight"]!["lastChange"]!["reason"], Is.EqualTo("latency_rose"));
            Assert.That((string?)json["inFlight"]!["mode"], Is.EqualTo("adaptive"));
            Assert.That((double?)json["inFlight"]!["lastChange"]!["latencyMs"], Is.EqualTo(rose.LatencyMs));
            Assert.That((double?)json["inFlight"]!["lastChange"]!["calmestMs"], Is.EqualTo(rose.CalmestMs));
        });
    }

    [Test]
    public async Task Run_KeycloakAnswers503ThenRecovers_TheStoredCapShowsTheHalvingThenTheGrowthBack()
    {
        // Arrange: once the cap has grown the first time, Keycloak answers 503 to everything until the run gives up.
        var unavailable = false;
        Watch(change =>
        {
            if (change is { Reason: ThrottleReason.LatencyFlat } && !unavailable)
            {
                unavailable = true;
                harness.Simulator.Faults.FailNext(1_000, 503);
            }
        });
        var rollout = await DriveAsync(harness.StartRolloutAsync);

        // Act: the first run stops on the 503s; once Keycloak is back (and the circuit breaker has let go), the resume
        // in the same process runs to the end on flat latency.
        var first = await RunAsync(rollout.Id, CancellationToken.None);
        var afterFirst = (await harness.Store.GetAsync(rollout.Id))!;
        var firstRun = Seen();
        harness.Simulator.Faults.Reset();
        harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(20);
        time.Advance(TimeSpan.FromMinutes(1));
        var changesBefore = harness.Throttle.Snapshot().Changes;
        var second = await RunAsync(rollout.Id, CancellationToken.None);
        var afterSecond = (await harness.Store.GetAsync(rollout.Id))!;
        var secondRun = Seen().Skip(firstRun.Count).ToList();

        // Assert
        var halved = firstRun.Count == 0 ? null : firstRun[^1];
        Assert.Multiple(() =>
        {
            Assert.That(first.End, Is.EqualTo(RunEnd.Interrupted), first.Interruption?.ToString());
            Assert.That(firstRun.SkipWhile(change => change.Reason == ThrottleReason.LatencyFlat),
                Is.Not.Empty.And.All.Matches<ThrottleChange>(change => change.Reason == ThrottleReason.ServiceUnavailable && change.To == change.From / 2),
                "after the growth, only the 503s moved the cap, halving it: " + string.Join("; ", firstRun));
            Assert.That(afterFirst.InFlight, Is.EqualTo(new RolloutInFlight(halved!.To, InFlightMode.Adaptive, KeycloakOptions.AdaptiveMaxInFlight, firstRun.Count, halved)),
                "the stopped run's cap, halved by the 503s, stored when it stopped");
            Assert.That((string?)Json(afterFirst)["inFlight"]!["lastChange"]!["reason"], Is.EqualTo("unavailable_503"));
            Assert.That(Json(afterFirst)["inFlight"]!["lastChange"]!["latencyMs"], Is.Null);

            Assert.That(second.End, Is.EqualTo(RunEnd.Completed), second.Interruption?.ToString());
            Assert.That(secondRun, Is.Not.Empty.And.Some.Matches<ThrottleChange>(change => change.Reason == ThrottleReason.LatencyFlat && change.To > change.From),
                "the cap did not grow back after the 503s: " + string.Join("; ", secondRun));
            Assert.That(afterSecond.InFlight, Is.EqualTo(RolloutInFlight.From(harness.Throttle.Snapshot(), changesBefore)),
                "the completed rollout keeps the cap of its last checkpoint, counting the resumed run's changes only");
            Assert.That(afterSecond.InFlight!.Cap, Is.GreaterThan(halved.To), "grown back");
            Assert.That(afterSecond.Counts.Marked, Is.EqualTo(400), "every user marked across both runs");
        });
    }

    private void Watch(Action<ThrottleChange> onChange) =>
        harness.Throttle.Changed += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }

            onChange(change);
        };

    /// <summary>
    /// Stops the run from a change's handler, which the throttle raises under its lock: not on that thread, and the clock
    /// stands still until the stop is requested (a busy thread pool would otherwise let the run go on meanwhile).
    /// </summary>
    private void StopSoon(CancellationTokenSource stop)
    {
        Volatile.Write(ref stopping, stop);
        _ = Task.Run(() => stop.Cancel());
    }

    private List<ThrottleChange> Seen()
    {
        lock (changes)
        {
            return [.. changes];
        }
    }

    private static JsonNode Json(Rollout rollout) => JsonNode.Parse(JsonSerializer.Serialize(RolloutStatusReport.From(rollout), IdpBridgeJson.Options))!;

    /// <summary>
    /// Runs the rollout while moving the fake clock in 5 ms steps, each once every request the throttle let through
    /// waits at the simulator (none on its way while the clock moves; the token request waits there unthrottled).
    /// </summary>
    private Task<RolloutRun> RunAsync(long rolloutId, CancellationToken stop) => DriveAsync(() => harness.Runner().RunAsync(rolloutId, stop: stop));

    /// <summary>Runs <paramref name="work"/> (which asks Keycloak) while moving the fake clock as <see cref="RunAsync"/> says.</summary>
    private async Task<T> DriveAsync<T>(Func<Task<T>> work)
    {
        var run = Task.Run(work, CancellationToken.None);
        var faults = harness.Simulator.Faults;
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (!run.IsCompleted)
        {
            Assert.That(TimeProvider.System.GetUtcNow(), Is.LessThan(deadline), "it did not end within 3 minutes");
            var settled = TimeProvider.System.GetTimestamp();
            while (harness.Throttle.InFlight > faults.InFlight && TimeProvider.System.GetElapsedTime(settled) < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(1);
            }

            while (Volatile.Read(ref stopping) is { IsCancellationRequested: false })
            {
                await Task.Delay(1);
            }

            time.Advance(Step);
            await Task.Delay(1);
        }

        return await run;
    }
}
