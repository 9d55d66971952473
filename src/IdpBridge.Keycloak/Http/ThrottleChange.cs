using System.Text.Json.Serialization;

namespace IdpBridge.Keycloak.Http;

/// <summary>Why the cap on requests in flight changed: a code (its JSON and stored name is the snake-case one).</summary>
public enum ThrottleReason
{
    /// <summary>A window's mean latency passed twice the calmest recent one: back off by a quarter (<c>latency_rose</c>).</summary>
    [JsonStringEnumMemberName("latency_rose")]
    LatencyRose,

    /// <summary>Latency stayed flat while the cap was used in full: grow (<c>latency_flat</c>).</summary>
    [JsonStringEnumMemberName("latency_flat")]
    LatencyFlat,

    /// <summary>Keycloak answered 429 Too Many Requests: halve (<c>overloaded_429</c>).</summary>
    [JsonStringEnumMemberName("overloaded_429")]
    TooManyRequests,

    /// <summary>Keycloak (or a proxy) answered 503 Service Unavailable: halve (<c>unavailable_503</c>).</summary>
    [JsonStringEnumMemberName("unavailable_503")]
    ServiceUnavailable,

    /// <summary>A fixed cap grown back by one after as many answers without 429 or 503 as it allows (<c>recovered</c>).</summary>
    [JsonStringEnumMemberName("recovered")]
    Recovered,

    /// <summary>
    /// Twice the requests in flight brought at least 5% more answers a second than the level below: double again
    /// (<c>throughput_rose</c>).
    /// </summary>
    [JsonStringEnumMemberName("throughput_rose")]
    ThroughputRose,

    /// <summary>
    /// Twice the requests in flight brought less than 5% more answers a second (they only queued): back to the level
    /// below, held there a while before trying again (<c>throughput_flat</c>).
    /// </summary>
    [JsonStringEnumMemberName("throughput_flat")]
    ThroughputFlat,
}

/// <summary>The codes of <see cref="ThrottleReason"/>, as JSON, the store and the logs name them.</summary>
public static class ThrottleReasonCodes
{
    /// <summary>
    /// <c>latency_rose</c>, <c>latency_flat</c>, <c>overloaded_429</c>, <c>unavailable_503</c>, <c>recovered</c>,
    /// <c>throughput_rose</c> or <c>throughput_flat</c>.
    /// </summary>
    public static string Code(this ThrottleReason reason) => reason switch
    {
        ThrottleReason.LatencyRose => "latency_rose",
        ThrottleReason.LatencyFlat => "latency_flat",
        ThrottleReason.TooManyRequests => "overloaded_429",
        ThrottleReason.ServiceUnavailable => "unavailable_503",
        ThrottleReason.Recovered => "recovered",
        ThrottleReason.ThroughputRose => "throughput_rose",
        ThrottleReason.ThroughputFlat => "throughput_flat",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown throttle reason."),
    };

    /// <summary>The reason of a code; null when it is none of them.</summary>
    public static ThrottleReason? FromCode(string? code) =>
        Enum.GetValues<ThrottleReason>().Cast<ThrottleReason?>().FirstOrDefault(reason => reason!.Value.Code() == code);
}

/// <summary>One change of the cap on requests in flight, and why, as facts (the CLI and the logs put them in words).</summary>
/// <param name="At">When it changed.</param>
/// <param name="From">The cap before (for <see cref="ThrottleReason.LatencyFlat"/>, the requests that were in flight; for
/// <see cref="ThrottleReason.Recovered"/>, the answers it waited for).</param>
/// <param name="To">The cap after.</param>
/// <param name="Reason">Why.</param>
/// <param name="LatencyMs">For a latency or throughput reason: the mean latency of the window (latency) or of the level
/// (throughput) that decided, in milliseconds (0.1 ms).</param>
/// <param name="CalmestMs">For a latency reason: the calmest of the recent windows it was compared with, in milliseconds.</param>
/// <param name="AnswersPerSecond">For a throughput reason: the answers a second at <paramref name="From"/> in flight (0.1).</param>
/// <param name="BelowAnswersPerSecond">For a throughput reason: the answers a second at the level it was doubled from, that
/// it was compared with (0.1): <paramref name="To"/> for <see cref="ThrottleReason.ThroughputFlat"/>, half of
/// <paramref name="From"/> for <see cref="ThrottleReason.ThroughputRose"/>.</param>
public sealed record ThrottleChange(
    DateTimeOffset At, int From, int To, ThrottleReason Reason, double? LatencyMs = null, double? CalmestMs = null,
    double? AnswersPerSecond = null, double? BelowAnswersPerSecond = null);

/// <summary>The throttle at one moment, read at once.</summary>
/// <param name="Limit">Requests allowed in flight now.</param>
/// <param name="Ceiling">The most it ever allows (<c>MaxInFlight</c>, or the adaptive ceiling).</param>
/// <param name="Adaptive">Whether the cap adapts to latency (no <c>MaxInFlight</c> set) or is fixed.</param>
/// <param name="Changes">How many times the cap changed since the throttle was created.</param>
/// <param name="LastChange">The last change; null while it never changed.</param>
public sealed record ThrottleState(int Limit, int Ceiling, bool Adaptive, long Changes, ThrottleChange? LastChange);
