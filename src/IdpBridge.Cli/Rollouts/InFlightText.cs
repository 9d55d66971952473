using System.Globalization;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Cli.Rollouts;

/// <summary>
/// The cap on requests in flight in words, from the facts the throttle and the store give: the line of
/// <c>--verbose</c> for each change and the <c>in flight</c> line of <c>rollout status</c> say a change the same way.
/// </summary>
internal static class InFlightText
{
    /// <summary><c>12 (adaptive up to 64; last change 16 → 12 at 02:31:05Z: latency 41 ms, 2.3× the calmest recent 18 ms; 7 changes in the run)</c>.</summary>
    public static string Describe(RolloutInFlight inFlight, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(inFlight);
        var mode = inFlight.Mode == InFlightMode.Adaptive ? $"adaptive up to {inFlight.Ceiling}" : $"fixed at {inFlight.Ceiling}";
        var last = inFlight.LastChange is { } change
            ? $"last change {change.From} → {change.To} at {When(change.At, recordedAt)}: {Reason(change)}"
            : "unchanged";
        var count = inFlight.Changes switch
        {
            0 => "",
            1 => "; 1 change in the run",
            var many => string.Create(CultureInfo.InvariantCulture, $"; {many:N0} changes in the run"),
        };
        return $"{inFlight.Cap} ({mode}; {last}{count})";
    }

    /// <summary><c>in flight 16 → 12: latency 41 ms, 2.3× the calmest recent 18 ms</c>.</summary>
    public static string Line(ThrottleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return $"in flight {change.From} → {change.To}: {Reason(change)}";
    }

    /// <summary>Why the cap changed, with the facts: <c>latency 41 ms, 2.3× the calmest recent 18 ms</c>.</summary>
    public static string Reason(ThrottleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var latency = change.LatencyMs ?? 0;
        var calmest = change.CalmestMs ?? 0;
        return change.Reason switch
        {
            ThrottleReason.LatencyRose => FormattableString.Invariant(
                $"latency {latency:0.#} ms, {(calmest > 0 ? latency / calmest : 0):0.#}× the calmest recent {calmest:0.#} ms"),
            ThrottleReason.LatencyFlat => FormattableString.Invariant(
                $"latency flat ({latency:0.#} ms, the calmest recent {calmest:0.#} ms) with {change.From} in flight"),
            ThrottleReason.TooManyRequests => "Keycloak answered 429 (too many requests)",
            ThrottleReason.ServiceUnavailable => "Keycloak answered 503 (unavailable)",
            ThrottleReason.Recovered => $"grown back after {change.From} answers without 429 or 503",
            ThrottleReason.ThroughputRose => FormattableString.Invariant(
                $"{Rates(change)} (latency {latency:0.#} ms)"),
            ThrottleReason.ThroughputFlat => FormattableString.Invariant(
                $"{Rates(change)} (latency {latency:0.#} ms): the extra requests only queued"),
            _ => change.Reason.Code(),
        };
    }

    /// <summary>
    /// <c>611 answers/s with 32 in flight, 1.39× the 440 with 16</c>: the level below is the one the cap goes back to, or
    /// (for a growth, which only doubles below the ceiling) half the level measured.
    /// </summary>
    private static string Rates(ThrottleChange change)
    {
        var perSecond = change.AnswersPerSecond ?? 0;
        var below = change.BelowAnswersPerSecond ?? 0;
        var belowLevel = change.Reason == ThrottleReason.ThroughputFlat ? change.To : change.From / 2;
        return FormattableString.Invariant(
            $"{perSecond:0} answers/s with {change.From} in flight, {(below > 0 ? perSecond / below : 0):0.0#}× the {below:0} with {belowLevel}");
    }

    /// <summary>The time of day when the change was the same day as the record, else the date too.</summary>
    private static string When(DateTimeOffset at, DateTimeOffset recordedAt) =>
        at.UtcDateTime.ToString(at.UtcDateTime.Date == recordedAt.UtcDateTime.Date ? "HH:mm:ss'Z'" : "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
