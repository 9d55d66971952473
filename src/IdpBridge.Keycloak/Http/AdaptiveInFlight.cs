namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The latency rule of the adaptive cap (<see cref="KeycloakThrottle"/> with no <c>MaxInFlight</c> set): answers are
/// taken in windows of at least <see cref="MinWindow"/> (and at least the cap); each window's mean latency is compared
/// with the calmest of the last <see cref="Remembered"/> windows. Flat (at most 1.25× it) while the cap was used in
/// full: grow, doubling until the first back-off, then one at a time. Risen past 2× it in two windows running: back
/// off by a quarter (one risen window alone is a loaded machine's scheduling noise as often as a busier server). A
/// server that became slower for good sets the new calm level once the older windows are forgotten, so the cap grows
/// back. But not while that calm level itself has drifted past 1.5× the calmest window since the last back-off (or
/// push-back): once Keycloak is saturated, each request more in flight only queues and lengthens every answer a little,
/// which passes as flat step after step while the calm level moves with it (measured on 26.7.3 with 5 ms each way: the
/// cap climbed to 62 while latency tripled, at half the throughput of 16); then the cap holds. Not thread-safe: the
/// throttle calls it under its lock.
/// </summary>
internal sealed class AdaptiveInFlight(int ceiling)
{
    /// <summary>Fewest answers in a window (more when the cap is higher: one window sees each slot used once).</summary>
    public const int MinWindow = 16;

    /// <summary>How many past windows the calm level is taken from.</summary>
    public const int Remembered = 10;

    private const double FlatFactor = 1.25;
    private const double RisenFactor = 2.0;

    /// <summary>How far the calm level may drift above the calmest window since the last back-off before growth stops.</summary>
    private const double DriftFactor = 1.5;

    /// <summary>Below this rise (milliseconds) latency counts as flat, whatever the factor: loopback jitter.</summary>
    private const double NoiseMilliseconds = 1.0;

    private readonly Queue<double> recentMeans = new();
    private double sumMilliseconds;
    private int count;
    private bool saturated;
    private bool slowStart = true;
    private bool risenBefore;

    /// <summary>The calmest window since the last back-off or push-back; null right after one.</summary>
    private double? calmSinceBackOff;

    /// <summary>The cap was reached (or requests waited for a slot) during this window.</summary>
    public void MarkSaturated() => saturated = true;

    /// <summary>Keycloak pushed back (429/503): the window starts over, and growth is one at a time from now on.</summary>
    public void Overloaded()
    {
        slowStart = false;
        calmSinceBackOff = null;
        StartWindow();
    }

    /// <summary>
    /// Takes one answer's latency; when this answer closes a window that changes the cap, returns the new cap, why, the
    /// window's mean latency and the calmest recent one (milliseconds).
    /// </summary>
    public (int Limit, ThrottleReason Reason, double MeanMs, double CalmestMs)? Sample(TimeSpan latency, int limit)
    {
        sumMilliseconds += latency.TotalMilliseconds;
        if (++count < Math.Max(MinWindow, limit))
        {
            return null;
        }

        var mean = sumMilliseconds / count;
        var wasSaturated = saturated;
        StartWindow();
        var calm = recentMeans.Count == 0 ? mean : recentMeans.Min();
        var drifted = calmSinceBackOff is { } calmest && calm > calmest * DriftFactor && calm - calmest > NoiseMilliseconds;
        calmSinceBackOff = Math.Min(calmSinceBackOff ?? mean, mean);
        recentMeans.Enqueue(mean);
        if (recentMeans.Count > Remembered)
        {
            recentMeans.Dequeue();
        }

        var risen = mean > calm * RisenFactor && mean - calm > NoiseMilliseconds;
        var confirmed = risen && risenBefore;
        risenBefore = risen && !confirmed;
        if (risen && !confirmed)
        {
            return null;
        }

        if (confirmed)
        {
            slowStart = false;
            calmSinceBackOff = null;
            var lower = Math.Max(1, Math.Min(limit - 1, limit * 3 / 4));
            return lower == limit ? null : (lower, ThrottleReason.LatencyRose, mean, calm);
        }

        if (wasSaturated && limit < ceiling && !drifted && (mean <= calm * FlatFactor || mean - calm <= NoiseMilliseconds))
        {
            var higher = Math.Min(ceiling, slowStart ? limit * 2 : limit + 1);
            return (higher, ThrottleReason.LatencyFlat, mean, calm);
        }

        return null;
    }

    private void StartWindow()
    {
        sumMilliseconds = 0;
        count = 0;
        saturated = false;
    }
}
