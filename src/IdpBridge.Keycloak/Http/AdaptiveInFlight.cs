namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The rule of the adaptive cap (<see cref="KeycloakThrottle"/> with no <c>MaxInFlight</c> set). It compares levels
/// far apart, by the answers a second each one gets, because on a CPU-bound Keycloak the latency rises long before the
/// throughput stops rising (measured on 26.7.3: 16 → 32 → 64 in flight still gained 18% and 10% while latency nearly
/// doubled each time, and Keycloak spent less CPU per request the more arrived at once), so a rule that grows only
/// while latency stays flat holds at a fraction of what the server gives.
/// <para>
/// Answers are taken in windows of at least <see cref="MinWindow"/> (and at least twice the cap, so a window spans the
/// heavy list page a rollout reads every hundred users as often as not). After each change of the
/// cap, one window lets the requests started under the old cap drain; the next <see cref="LevelWindows"/> measure the
/// level: its answers a second (answers over the time they took) and its mean latency. Then:
/// </para>
/// <list type="bullet">
/// <item>A level reached by doubling is compared with the level below: at least <see cref="GainFactor"/> its answers a
/// second, and the cap was used in full, so double again (<see cref="ThrottleReason.ThroughputRose"/>); less, and the
/// extra requests only queued, so back to the level below (<see cref="ThrottleReason.ThroughputFlat"/>), held there for
/// a few measurements before trying again (twice as many after each try that gained nothing, up to
/// <see cref="MaxHold"/>).</item>
/// <item>A level held (the first one, one gone back to, one reached by backing off) is tried doubled once its hold is
/// over, while its latency stays flat (within 1.25× its calmest measurement) and the cap is used in full
/// (<see cref="ThrottleReason.LatencyFlat"/>).</item>
/// <item>At any level, a window whose mean latency passed 2× the level's calmest measurement, twice running, backs off by a
/// quarter (<see cref="ThrottleReason.LatencyRose"/>): the same requests in flight got half the answers a second, so
/// the server itself became slower (one risen window alone is a loaded machine's scheduling noise as often as not).</item>
/// <item>429 and 503 halve the cap (the throttle does it); the level reached is held a few measurements, then tried
/// doubled again.</item>
/// </list>
/// Not thread-safe: the throttle calls it under its lock.
/// </summary>
internal sealed class AdaptiveInFlight(int ceiling)
{
    /// <summary>Fewest answers in a window (more when the cap is higher: one window sees each slot used twice).</summary>
    public const int MinWindow = 16;

    /// <summary>Windows that measure a level, after the one that lets the previous level's requests drain.</summary>
    public const int LevelWindows = 3;

    /// <summary>
    /// How many more answers a second twice the requests in flight must bring to be kept: 5%. Keycloak 26.7.3 here
    /// gained 10-20% from 32 to 64 (less in a noisy measurement); a server where the extra requests only queue gains none.
    /// </summary>
    public const double GainFactor = 1.05;

    /// <summary>The most level measurements a level is held for before it is tried doubled again.</summary>
    public const int MaxHold = 16;

    /// <summary>Level measurements held after a 429/503, and after the first try that gained nothing.</summary>
    private const int FirstHold = 2;

    private const double FlatFactor = 1.25;
    private const double RisenFactor = 2.0;

    /// <summary>Below this rise (milliseconds) latency counts as flat, whatever the factor: loopback jitter.</summary>
    private const double NoiseMilliseconds = 1.0;

    private int level;
    private DateTimeOffset windowStart;
    private double windowMilliseconds;
    private int windowAnswers;
    private bool windowSaturated;

    /// <summary>Windows closed since the level was set (the first one drains the previous level's requests).</summary>
    private int windowsAtLevel;

    /// <summary>The windows of the level's measurement so far (reset to empty once it is decided on).</summary>
    private Measurement measured;

    /// <summary>
    /// The calmest measurement (mean latency of <see cref="LevelWindows"/> windows) at this level: a measurement within
    /// 1.25× it is flat, a window past twice it (twice running) is latency risen. Not the calmest single window: on
    /// the real server a level's windows vary by 2× from one to the next, and the calmest of many would make every
    /// other window look risen.
    /// </summary>
    private double? calmestMeasurement;
    private bool risenBefore;

    /// <summary>The level below and its answers a second, while the current level is a doubling of it being measured.</summary>
    private (int Level, double AnswersPerSecond)? below;

    /// <summary>Level measurements to wait before the current level is tried doubled.</summary>
    private int hold;

    /// <summary>The hold after the next try that gains nothing.</summary>
    private int nextHold = FirstHold;

    /// <summary>The cap was reached (or requests waited for a slot) during this window.</summary>
    public void MarkSaturated() => windowSaturated = true;

    /// <summary>Keycloak pushed back (429/503): whatever level comes next is held a few measurements before it grows.</summary>
    public void Overloaded()
    {
        below = null;
        hold = FirstHold;
        level = 0;
    }

    /// <summary>
    /// Takes one answer's latency, at <paramref name="now"/>, under the cap <paramref name="limit"/>; when this answer
    /// closes a window or a level measurement that changes the cap, returns the change (its <see cref="ThrottleChange.At"/>
    /// is <paramref name="now"/>).
    /// </summary>
    public ThrottleChange? Sample(TimeSpan latency, int limit, DateTimeOffset now)
    {
        if (limit != level)
        {
            StartLevel(limit, now);
        }

        windowMilliseconds += latency.TotalMilliseconds;
        if (++windowAnswers < WindowSize(limit))
        {
            return null;
        }

        var window = new Measurement(windowAnswers, windowMilliseconds, now - windowStart, !windowSaturated);
        StartWindow(now);
        if (++windowsAtLevel == 1)
        {
            return null;
        }

        if (LatencyRose(window.MeanMilliseconds, now) is { } backOff)
        {
            return backOff;
        }

        measured = measured.Plus(window);
        // A measurement that took no time (answers that all came at one tick of a coarse clock) says nothing: go on.
        if ((windowsAtLevel - 1) % LevelWindows != 0 || measured.Time <= TimeSpan.Zero)
        {
            return null;
        }

        var done = measured;
        measured = default;
        return Decide(done.Answers / done.Time.TotalSeconds, done.MeanMilliseconds, !done.Unused, now);
    }

    private ThrottleChange? LatencyRose(double mean, DateTimeOffset now)
    {
        if (calmestMeasurement is not { } calmest)
        {
            return null;
        }

        var risen = mean > calmest * RisenFactor && mean - calmest > NoiseMilliseconds;
        var confirmed = risen && risenBefore;
        risenBefore = risen && !confirmed;
        if (!confirmed)
        {
            return null;
        }

        var lower = Math.Max(1, Math.Min(level - 1, level * 3 / 4));
        if (lower == level)
        {
            return null;
        }

        below = null;
        hold = FirstHold;
        return new ThrottleChange(now, level, lower, ThrottleReason.LatencyRose, Math.Round(mean, 1), Math.Round(calmest, 1));
    }

    private ThrottleChange? Decide(double perSecond, double mean, bool used, DateTimeOffset now)
    {
        var calmest = Math.Min(calmestMeasurement ?? mean, mean);
        calmestMeasurement = calmest;
        if (below is { } lower)
        {
            below = null;
            if (perSecond < lower.AnswersPerSecond * GainFactor)
            {
                hold = nextHold;
                nextHold = Math.Min(MaxHold, nextHold * 2);
                return Change(now, level, lower.Level, ThrottleReason.ThroughputFlat, mean, perSecond, lower.AnswersPerSecond);
            }

            nextHold = FirstHold;
            return used && level < ceiling ? Double(now, ThrottleReason.ThroughputRose, mean, perSecond, lower.AnswersPerSecond) : null;
        }

        if (hold > 0)
        {
            hold--;
            return null;
        }

        var flat = mean <= calmest * FlatFactor || mean - calmest <= NoiseMilliseconds;
        return used && flat && level < ceiling ? Double(now, ThrottleReason.LatencyFlat, mean, perSecond, null, calmest) : null;
    }

    private ThrottleChange Double(DateTimeOffset now, ThrottleReason reason, double mean, double perSecond, double? belowPerSecond, double? calmest = null)
    {
        below = (level, perSecond);
        return Change(now, level, Math.Min(ceiling, level * 2), reason, mean, perSecond, belowPerSecond, calmest);
    }

    private static ThrottleChange Change(
        DateTimeOffset now, int from, int to, ThrottleReason reason, double mean, double perSecond, double? belowPerSecond, double? calmest = null) =>
        new(now, from, to, reason, Math.Round(mean, 1), calmest is { } calm ? Math.Round(calm, 1) : null,
            reason == ThrottleReason.LatencyFlat ? null : Math.Round(perSecond, 1), belowPerSecond is { } rate ? Math.Round(rate, 1) : null);

    private void StartLevel(int limit, DateTimeOffset now)
    {
        level = limit;
        windowsAtLevel = 0;
        calmestMeasurement = null;
        risenBefore = false;
        measured = default;
        StartWindow(now);
    }

    /// <summary>The answers in a window at <paramref name="limit"/> in flight.</summary>
    public static int WindowSize(int limit) => Math.Max(MinWindow, 2 * limit);

    private void StartWindow(DateTimeOffset now)
    {
        windowStart = now;
        windowMilliseconds = 0;
        windowAnswers = 0;
        windowSaturated = false;
    }

    /// <summary>
    /// Answers taken together: how many, their latencies summed, the time they took, and whether the cap went unused
    /// in any of their windows (so <c>default</c> is an empty measurement that used the cap in full).
    /// </summary>
    private readonly record struct Measurement(int Answers, double Milliseconds, TimeSpan Time, bool Unused)
    {
        public double MeanMilliseconds => Milliseconds / Answers;

        public Measurement Plus(Measurement other) =>
            new(Answers + other.Answers, Milliseconds + other.Milliseconds, Time + other.Time, Unused || other.Unused);
    }
}
