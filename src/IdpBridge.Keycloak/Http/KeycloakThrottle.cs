using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Protects Keycloak from this process: at most <see cref="KeycloakOptions.MaxInFlight"/> Admin API requests at once
/// and, when set, at most <see cref="KeycloakOptions.MaxRequestsPerSecond"/> started per second. When Keycloak (or a
/// proxy in front of it) answers 429 or 503, every caller slows down, not only the one that got the answer: the number
/// of requests allowed at once is halved and, when the answer carries <c>Retry-After</c>, no request starts before it.
/// The allowance grows back by one after each run of successful answers as long as it (additive increase,
/// multiplicative decrease), so a Keycloak that recovers gets the full rate back within seconds. With no
/// <c>MaxInFlight</c> set, the cap adapts to the server (see <see cref="AdaptiveInFlight"/>): it starts at
/// <see cref="KeycloakOptions.AdaptiveInitialInFlight"/>, doubles while twice the requests in flight bring more answers a
/// second, goes back when they bring no more, and backs off when latency rises at the same cap.
/// Each change is logged (Information, with its reason code and facts), kept as <see cref="LastChange"/> and counted
/// (<see cref="Snapshot"/>), so a rollout can store the cap it ran under.
/// </summary>
public sealed partial class KeycloakThrottle
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly int maxInFlight;
    private readonly AdaptiveInFlight? adaptive;
    private readonly ILogger logger;
    private readonly TimeSpan interval;
    private readonly Queue<TaskCompletionSource> waiters = new();
    private int inFlight;
    private int limit;
    private int successesSinceChange;
    private long nextStartTicks;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset lastDecrease = DateTimeOffset.MinValue;

    /// <summary>Creates the throttle from the Keycloak options.</summary>
    public KeycloakThrottle(IOptions<KeycloakOptions> options, TimeProvider time, ILogger<KeycloakThrottle>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        maxInFlight = Math.Max(1, options.Value.InFlightCeiling);
        adaptive = options.Value.MaxInFlight is null ? new AdaptiveInFlight(maxInFlight) : null;
        limit = adaptive is null ? maxInFlight : Math.Min(maxInFlight, KeycloakOptions.AdaptiveInitialInFlight);
        interval = options.Value.MaxRequestsPerSecond > 0
            ? TimeSpan.FromSeconds(1.0 / options.Value.MaxRequestsPerSecond)
            : TimeSpan.Zero;
    }

    /// <summary>How many requests may be in flight now (halved on 429/503, grows back to the maximum).</summary>
    public int CurrentLimit
    {
        get
        {
            lock (gate)
            {
                return limit;
            }
        }
    }

    /// <summary>How many requests are in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    /// <summary>How many times Keycloak's answers made the throttle slow down.</summary>
    public int Slowdowns { get; private set; }

    /// <summary>Whether the cap adapts to Keycloak's answers (no <c>MaxInFlight</c> set).</summary>
    public bool Adaptive => adaptive is not null;

    /// <summary>The last change of the cap and why; null while it never changed.</summary>
    public ThrottleChange? LastChange
    {
        get
        {
            lock (gate)
            {
                return lastChange;
            }
        }
    }

    private ThrottleChange? lastChange;
    private long changes;

    /// <summary>The cap, its ceiling, whether it adapts, how often it changed and its last change, read at once.</summary>
    public ThrottleState Snapshot()
    {
        lock (gate)
        {
            return new ThrottleState(limit, maxInFlight, adaptive is not null, changes, lastChange);
        }
    }

    /// <summary>Each change of the cap, as it happens (raised under the throttle's lock: handlers must be quick and not call it).</summary>
    public event Action<ThrottleChange>? Changed;

    /// <summary>
    /// Waits for a slot; the caller must call <see cref="Release(HttpResponseMessage?, long?)"/> with the answer once the
    /// request ends. Returns when the slot was taken (<see cref="TimeProvider.GetTimestamp"/>), to time the answer by.
    /// </summary>
    public async Task<long> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource? waiter = null;
            var wait = TimeSpan.Zero;
            var holdsSlot = false;
            lock (gate)
            {
                var now = time.GetUtcNow();
                if (now < pausedUntil)
                {
                    wait = pausedUntil - now;
                }
                else if (inFlight < limit)
                {
                    inFlight++;
                    if (inFlight == limit)
                    {
                        adaptive?.MarkSaturated();
                    }

                    holdsSlot = true;
                    wait = ReserveStart(now);
                    if (wait <= TimeSpan.Zero)
                    {
                        return time.GetTimestamp();
                    }
                }
                else
                {
                    adaptive?.MarkSaturated();
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waiters.Enqueue(waiter);
                }
            }

            if (waiter is not null)
            {
                await WaitForTurnAsync(waiter, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (holdsSlot)
            {
                Release(null);
                throw;
            }

            if (holdsSlot)
            {
                return time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// Frees the slot taken by <see cref="AcquireAsync"/> and learns from Keycloak's answer (null when none came) and,
    /// given when the slot was taken (<paramref name="acquiredAt"/>), from how long it took.
    /// </summary>
    public void Release(HttpResponseMessage? response, long? acquiredAt = null)
    {
        List<TaskCompletionSource>? wake;
        lock (gate)
        {
            inFlight--;
            if (response is not null)
            {
                Learn(response, acquiredAt is { } started ? time.GetElapsedTime(started) : null);
            }

            wake = TakeWaiters(limit - inFlight);
        }

        WakeAll(wake);
    }

    /// <summary>
    /// Waits until a release wakes <paramref name="waiter"/>. A waiter woken and cancelled at once hands its turn to
    /// the next one, so a free slot is never left with nobody woken for it.
    /// </summary>
    private async Task WaitForTurnAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            List<TaskCompletionSource>? wake = null;
            lock (gate)
            {
                if (waiter.Task.IsCompleted)
                {
                    wake = TakeWaiters(1);
                }
                else
                {
                    var others = waiters.Where(other => other != waiter).ToList();
                    waiters.Clear();
                    others.ForEach(waiters.Enqueue);
                }
            }

            WakeAll(wake);
            throw;
        }
    }

    /// <summary>
    /// The first <paramref name="slots"/> waiters, in arrival order (call under the lock): each release wakes only as
    /// many as there are free slots, not every waiter (with the adaptive ceiling of 64 writers, that was some fifty
    /// wake-ups, each a thread-pool item and a new waiter, per request).
    /// </summary>
    private List<TaskCompletionSource>? TakeWaiters(int slots)
    {
        if (slots <= 0 || waiters.Count == 0)
        {
            return null;
        }

        var taken = new List<TaskCompletionSource>(Math.Min(slots, waiters.Count));
        while (taken.Count < slots && waiters.TryDequeue(out var waiter))
        {
            taken.Add(waiter);
        }

        return taken;
    }

    private static void WakeAll(List<TaskCompletionSource>? wake)
    {
        foreach (var waiter in wake ?? [])
        {
            waiter.TrySetResult();
        }
    }

    private TimeSpan ReserveStart(DateTimeOffset now)
    {
        if (interval <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var start = Math.Max(now.UtcTicks, nextStartTicks);
        nextStartTicks = start + interval.Ticks;
        return TimeSpan.FromTicks(start - now.UtcTicks);
    }

    private void Learn(HttpResponseMessage response, TimeSpan? latency)
    {
        var now = time.GetUtcNow();
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            if (RetryAfter(response, now) is { } until && until > pausedUntil)
            {
                pausedUntil = until;
            }

            // The answers to one burst arrive together: halve once per burst, not once per answer.
            if (now - lastDecrease >= TimeSpan.FromMilliseconds(250))
            {
                lastDecrease = now;
                Slowdowns++;
                var reason = response.StatusCode == HttpStatusCode.TooManyRequests ? ThrottleReason.TooManyRequests : ThrottleReason.ServiceUnavailable;
                Change(new ThrottleChange(now, limit, Math.Max(1, limit / 2), reason));
            }

            adaptive?.Overloaded();
            successesSinceChange = 0;
            return;
        }

        if (adaptive is not null)
        {
            if (latency is { } took && adaptive.Sample(took, limit, now) is { } decision)
            {
                Change(decision);
            }

            return;
        }

        if (limit < maxInFlight && ++successesSinceChange >= limit)
        {
            successesSinceChange = 0;
            Change(new ThrottleChange(now, limit, limit + 1, ThrottleReason.Recovered));
        }
    }

    private void Change(ThrottleChange change)
    {
        if (change.To == limit)
        {
            return;
        }

        lastChange = change;
        limit = change.To;
        changes++;
        if (change.AnswersPerSecond is { } perSecond && change.BelowAnswersPerSecond is { } belowPerSecond)
        {
            Log.ChangedOnThroughput(logger, change.From, change.To, change.Reason.Code(), perSecond, belowPerSecond, change.LatencyMs ?? 0);
        }
        else if (change.LatencyMs is { } latency && change.CalmestMs is { } calmest)
        {
            Log.ChangedOnLatency(logger, change.From, change.To, change.Reason.Code(), latency, calmest);
        }
        else
        {
            Log.Changed(logger, change.From, change.To, change.Reason.Code());
        }

        Changed?.Invoke(change);
    }

    /// <summary>The log's words are few and its facts are fields: the CLI's <c>--verbose</c> puts them in sentences.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Keycloak throttle: in flight {From} → {To} ({Reason}).")]
        public static partial void Changed(ILogger logger, int from, int to, string reason);

        [LoggerMessage(2, LogLevel.Information, "Keycloak throttle: in flight {From} → {To} ({Reason}, latency {LatencyMs} ms, calmest recent {CalmestMs} ms).")]
        public static partial void ChangedOnLatency(ILogger logger, int from, int to, string reason, double latencyMs, double calmestMs);

        [LoggerMessage(3, LogLevel.Information,
            "Keycloak throttle: in flight {From} → {To} ({Reason}, {AnswersPerSecond} answers/s against {BelowAnswersPerSecond} at the level below, latency {LatencyMs} ms).")]
        public static partial void ChangedOnThroughput(
            ILogger logger, int from, int to, string reason, double answersPerSecond, double belowAnswersPerSecond, double latencyMs);
    }

    private static DateTimeOffset? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return now + delta;
        }

        return header?.Date;
    }
}

/// <summary>Runs every Admin API request attempt (retries included) through the <see cref="KeycloakThrottle"/>.</summary>
internal sealed class KeycloakThrottleHandler(KeycloakThrottle throttle) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var acquiredAt = await throttle.AcquireAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            throttle.Release(response, acquiredAt);
        }
    }
}
