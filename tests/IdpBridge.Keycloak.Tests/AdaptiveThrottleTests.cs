using IdpBridge.Keycloak.Http;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>
/// The adaptive cap (no MaxInFlight set) against the simulator's latency and 503 faults, on a fake clock: the simulator
/// waits its latency on the same clock, and the test moves it only when every request let through is waiting there,
/// so each latency the throttle measures is exactly the simulator's.
/// </summary>
public sealed class AdaptiveThrottleTests
{
    private const int Workers = 80;

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Throttle_Adaptive_GrowsWhileFlatBacksOffOnLatencyAnd503AndGrowsBack()
    {
        using var harness = ClientHarness.Start(
            new SimulatorOptions { TimeProvider = time, LatencyOnTimeProvider = true, AdminTokenLifetimeSeconds = 86_400 },
            options => options.MaxInFlight = null,
            clientTime: time);
        var realm = harness.Simulator.CreateRealm("externos");
        realm.SeedUsers(20);
        var faults = harness.Simulator.Faults;
        faults.Latency = TimeSpan.FromMilliseconds(20);
        var throttle = harness.Services.GetRequiredService<KeycloakThrottle>();
        var changes = new List<ThrottleChange>();
        throttle.Changed += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };
        using var stop = new CancellationTokenSource();
        var ids = realm.UserIds.ToArray();
        var workers = Enumerable.Range(0, Workers).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await harness.Client.FindUserAsync("externos", ids[i % ids.Length], stop.Token);
                }
                catch (Exception exception) when (exception is KeycloakException or OperationCanceledException)
                {
                    // A 503 that outlived its retries, or the end of the test.
                }
            }
        })).ToList();

        var initial = throttle.CurrentLimit;
        await RunAsync(throttle, faults, TimeSpan.FromSeconds(2));
        var grown = throttle.CurrentLimit;

        faults.Latency = TimeSpan.FromMilliseconds(100);
        await RunAsync(throttle, faults, TimeSpan.FromSeconds(2));
        var afterLatency = Snapshot(changes);

        faults.FailNext(4, 503);
        await RunAsync(throttle, faults, TimeSpan.FromSeconds(1));
        var after503 = Snapshot(changes).FindLast(change => change.Reason == ThrottleReason.ServiceUnavailable);
        await RunAsync(throttle, faults, TimeSpan.FromSeconds(6));
        var state = throttle.Snapshot();
        var all = Snapshot(changes);

        await stop.CancelAsync();
        faults.Reset();
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        var latencyBackOff = afterLatency.FindIndex(change => change.To < change.From && change.Reason == ThrottleReason.LatencyRose);
        Assert.Multiple(() =>
        {
            Assert.That(initial, Is.EqualTo(KeycloakOptions.AdaptiveInitialInFlight));
            Assert.That(grown, Is.EqualTo(KeycloakOptions.AdaptiveMaxInFlight), "flat latency (20 ms) grows the cap to its ceiling: " + string.Join("; ", all));
            Assert.That(latencyBackOff, Is.GreaterThanOrEqualTo(0), "latency from 20 to 100 ms made no back-off: " + string.Join("; ", afterLatency));
            Assert.That(afterLatency[latencyBackOff].LatencyMs, Is.GreaterThan(2 * afterLatency[latencyBackOff].CalmestMs!.Value), "the back-off's facts");
            Assert.That(afterLatency[latencyBackOff].CalmestMs, Is.EqualTo(20).Within(1), "the calmest recent window is the 20 ms one");
            Assert.That(after503, Is.Not.Null, "503s made no back-off: " + string.Join("; ", all));
            Assert.That(after503!.To, Is.EqualTo(Math.Max(1, after503.From / 2)), "a 503 halves the cap");
            var later = all.SkipWhile(change => !ReferenceEquals(change, after503)).Skip(1).ToList();
            Assert.That(later.Any(change => change.To > change.From && change.Reason == ThrottleReason.LatencyFlat), Is.True,
                "the cap did not grow back after the 503s: " + string.Join("; ", later));
            Assert.That(throttle.CurrentLimit, Is.GreaterThan(after503.To), "the cap did not grow back after the 503s");
            // Read while the workers run: a change may land between the snapshot and the list, never before.
            Assert.That(state.Changes, Is.InRange(all.Count - 1, all.Count), "the snapshot counts every change");
            Assert.That(state, Is.EqualTo(new ThrottleState(state.LastChange!.To, KeycloakOptions.AdaptiveMaxInFlight, true, state.Changes, all[(int)state.Changes - 1])),
                "the snapshot: the cap, its ceiling, adaptive, the count and the last change");
        });
    }

    private static List<ThrottleChange> Snapshot(List<ThrottleChange> changes)
    {
        lock (changes)
        {
            return [.. changes];
        }
    }

    /// <summary>
    /// Moves the fake clock by <paramref name="span"/> in 5 ms steps, each once every request the throttle let through is
    /// waiting at the simulator (so no request is on its way while the clock moves).
    /// </summary>
    private async Task RunAsync(KeycloakThrottle throttle, SimulatorFaults faults, TimeSpan span)
    {
        var step = TimeSpan.FromMilliseconds(5);
        for (var moved = TimeSpan.Zero; moved < span; moved += step)
        {
            var settled = TimeProvider.System.GetTimestamp();
            while (!(throttle.InFlight > 0 && throttle.InFlight == faults.InFlight) && TimeProvider.System.GetElapsedTime(settled) < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(1);
            }

            time.Advance(step);
        }
    }
}
