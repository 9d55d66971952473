using IdpBridge.Keycloak.Http;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>
/// The adaptive cap's latency rule on its own, fed windows of answers from a modelled server: one that serves
/// <c>width</c> requests at once in <c>base</c> milliseconds and queues the rest, so an answer takes
/// base × max(1, in flight ÷ width) (Little's law), with every window using the cap in full.
/// </summary>
public sealed class AdaptiveInFlightTests
{
    [Test]
    public void Sample_SaturatedServer_CapHoldsWhereMoreInFlightOnlyQueues()
    {
        // 16 wide, 20 ms: at 32 in flight every answer takes 40 ms, exactly twice the calm level, so no back-off. The
        // calm level of the last ten windows then becomes 40 ms and 32 → 64 would pass as flat, for no throughput.
        var caps = Drive(width: 16, baseMs: 20, windows: 300);

        Assert.Multiple(() =>
        {
            Assert.That(caps.Take(3), Is.EqualTo(new[] { 8, 16, 32 }), "slow start doubles while latency is flat");
            Assert.That(caps.Skip(3).Max(), Is.EqualTo(32), "the cap grew past the point where requests only queue");
        });
    }

    [Test]
    public void Sample_ServerWithoutALimit_GrowsToTheCeiling()
    {
        var caps = Drive(width: 1_000, baseMs: 20, windows: 100);

        Assert.That(caps[^1], Is.EqualTo(KeycloakOptions.AdaptiveMaxInFlight));
    }

    [Test]
    public void Sample_BackOffAfterASlowerServer_TheNewCalmLevelLetsTheCapGrowAgain()
    {
        // A server without a limit that turns five times slower for good: the cap backs off, and each back-off makes
        // the slower level the calm one since, so the cap grows again rather than holding as if it had drifted.
        var rule = new AdaptiveInFlight(KeycloakOptions.AdaptiveMaxInFlight);
        var limit = Feed(rule, KeycloakOptions.AdaptiveInitialInFlight, _ => 20, windows: 50, caps: null);
        var caps = new List<int>();
        Feed(rule, limit, _ => 100, windows: 200, caps);

        var lowest = caps.IndexOf(caps.Min());
        Assert.Multiple(() =>
        {
            Assert.That(caps.Min(), Is.LessThan(limit), "100 ms after 20 made no back-off");
            Assert.That(caps[^1], Is.EqualTo(KeycloakOptions.AdaptiveMaxInFlight), "the cap did not grow back: " + string.Join(", ", caps.Skip(lowest)));
        });
    }

    /// <summary>The cap after each window, from the initial cap, against the modelled server.</summary>
    private static List<int> Drive(int width, double baseMs, int windows)
    {
        var caps = new List<int>();
        Feed(new AdaptiveInFlight(KeycloakOptions.AdaptiveMaxInFlight), KeycloakOptions.AdaptiveInitialInFlight,
            limit => baseMs * Math.Max(1, (double)limit / width), windows, caps);
        return caps;
    }

    /// <summary>Feeds <paramref name="windows"/> full windows, each answer taking <paramref name="latencyMs"/> at the cap; returns the cap.</summary>
    private static int Feed(AdaptiveInFlight rule, int limit, Func<int, double> latencyMs, int windows, List<int>? caps)
    {
        for (var window = 0; window < windows; window++)
        {
            rule.MarkSaturated();
            for (var answer = 0; answer < Math.Max(AdaptiveInFlight.MinWindow, limit); answer++)
            {
                if (rule.Sample(TimeSpan.FromMilliseconds(latencyMs(limit)), limit) is { } change)
                {
                    limit = change.Limit;
                }
            }

            caps?.Add(limit);
        }

        return limit;
    }
}
