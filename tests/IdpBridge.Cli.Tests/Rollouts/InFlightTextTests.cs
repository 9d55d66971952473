using IdpBridge.Cli.Rollouts;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak.Http;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Rollouts;

/// <summary>The cap on requests in flight in words: each reason with its facts, as status and --verbose say it.</summary>
public sealed class InFlightTextTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 2, 31, 5, TimeSpan.Zero);

    [TestCase(ThrottleReason.LatencyRose, 16, 12, 41.0, 18.0, "latency 41 ms, 2.3× the calmest recent 18 ms")]
    [TestCase(ThrottleReason.LatencyFlat, 8, 16, 18.4, 18.0, "latency flat (18.4 ms, the calmest recent 18 ms) with 8 in flight")]
    [TestCase(ThrottleReason.TooManyRequests, 16, 8, null, null, "Keycloak answered 429 (too many requests)")]
    [TestCase(ThrottleReason.ServiceUnavailable, 16, 8, null, null, "Keycloak answered 503 (unavailable)")]
    [TestCase(ThrottleReason.Recovered, 7, 8, null, null, "grown back after 7 answers without 429 or 503")]
    public void Line_EachReason_SaysWhyWithTheFacts(ThrottleReason reason, int from, int to, double? latency, double? calmest, string why)
    {
        var change = new ThrottleChange(At, from, to, reason, latency, calmest);

        Assert.That(InFlightText.Line(change), Is.EqualTo($"in flight {from} → {to}: {why}"));
    }

    [Test]
    public void Line_ThroughputReasons_SayTheAnswersASecondOfBothLevels()
    {
        var rose = new ThrottleChange(At, 32, 64, ThrottleReason.ThroughputRose, 52.4, null, 611.2, 440);
        var flat = new ThrottleChange(At, 64, 32, ThrottleReason.ThroughputFlat, 98, null, 630, 611.2);

        Assert.Multiple(() =>
        {
            Assert.That(InFlightText.Line(rose), Is.EqualTo("in flight 32 → 64: 611 answers/s with 32 in flight, 1.39× the 440 with 16 (latency 52.4 ms)"));
            Assert.That(InFlightText.Line(flat), Is.EqualTo(
                "in flight 64 → 32: 630 answers/s with 64 in flight, 1.03× the 611 with 32 (latency 98 ms): the extra requests only queued"));
        });
    }

    [Test]
    public void Describe_AdaptiveWithABackOff_TheCapTheChangeItsTimeAndTheCount()
    {
        var inFlight = new RolloutInFlight(12, InFlightMode.Adaptive, 64, 7, new ThrottleChange(At, 16, 12, ThrottleReason.LatencyRose, 41, 18));

        Assert.Multiple(() =>
        {
            Assert.That(InFlightText.Describe(inFlight, At.AddMinutes(3)), Is.EqualTo(
                "12 (adaptive up to 64; last change 16 → 12 at 02:31:05Z: latency 41 ms, 2.3× the calmest recent 18 ms; 7 changes in the run)"));
            Assert.That(InFlightText.Describe(inFlight with { Changes = 1 }, At.AddDays(1)), Is.EqualTo(
                "12 (adaptive up to 64; last change 16 → 12 at 2026-12-02 02:31:05Z: latency 41 ms, 2.3× the calmest recent 18 ms; 1 change in the run)"),
                "a change on another day than the record's shows its date");
            Assert.That(InFlightText.Describe(new RolloutInFlight(16, InFlightMode.Fixed, 16, 0, null), At), Is.EqualTo("16 (fixed at 16; unchanged)"));
        });
    }
}
