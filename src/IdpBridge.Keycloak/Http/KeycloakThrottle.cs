using System.Net;
using Microsoft.Extensions.Options;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Protects Keycloak from this process: at most <see cref="KeycloakOptions.MaxInFlight"/> Admin API requests at once
/// and, when set, at most <see cref="KeycloakOptions.MaxRequestsPerSecond"/> started per second. When Keycloak (or a
/// proxy in front of it) answers 429 or 503, every caller slows down, not only the one that got the answer: the number
/// of requests allowed at once is halved and, when the answer carries <c>Retry-After</c>, no request starts before it.
/// The allowance grows back by one after each run of successful answers as long as it (additive increase,
/// multiplicative decrease), so a Keycloak that recovers gets the full rate back within seconds.
/// </summary>
public sealed class KeycloakThrottle
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly int maxInFlight;
    private readonly TimeSpan interval;
    private readonly List<TaskCompletionSource> waiters = [];
    private int inFlight;
    private int limit;
    private int successesSinceChange;
    private long nextStartTicks;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset lastDecrease = DateTimeOffset.MinValue;

    /// <summary>Creates the throttle from the Keycloak options.</summary>
    public KeycloakThrottle(IOptions<KeycloakOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        maxInFlight = Math.Max(1, options.Value.MaxInFlight);
        limit = maxInFlight;
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

    /// <summary>Waits for a slot; the caller must call <see cref="Release"/> with the answer once the request ends.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
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
                    holdsSlot = true;
                    wait = ReserveStart(now);
                    if (wait <= TimeSpan.Zero)
                    {
                        return;
                    }
                }
                else
                {
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waiters.Add(waiter);
                }
            }

            if (waiter is not null)
            {
                await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
                return;
            }
        }
    }

    /// <summary>Frees the slot taken by <see cref="AcquireAsync"/> and learns from Keycloak's answer (null when none came).</summary>
    public void Release(HttpResponseMessage? response)
    {
        List<TaskCompletionSource> wake;
        lock (gate)
        {
            inFlight--;
            if (response is not null)
            {
                Learn(response);
            }

            wake = [.. waiters];
            waiters.Clear();
        }

        foreach (var waiter in wake)
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

    private void Learn(HttpResponseMessage response)
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
                limit = Math.Max(1, limit / 2);
                lastDecrease = now;
                Slowdowns++;
            }

            successesSinceChange = 0;
            return;
        }

        if (limit < maxInFlight && ++successesSinceChange >= limit)
        {
            limit++;
            successesSinceChange = 0;
        }
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
        await throttle.AcquireAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            throttle.Release(response);
        }
    }
}
