using System.Collections.Concurrent;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// Faults the simulator injects: latency, a bounded worker pool with a bounded queue (Keycloak's
/// <c>http-max-queued-requests</c>), error bursts, dropped connections and users whose stored data fails re-validation.
/// Thread-safe; changes apply to requests that arrive afterwards.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly object sync = new();
    private readonly Queue<TaskCompletionSource> waiting = new();
    private readonly ConcurrentDictionary<(string Realm, string UserId), (int Status, string Message)> rejectedUsers = new();
    private int failRemaining;
    private int failStatus;
    private TimeSpan? failRetryAfter;
    private string? failMethod;
    private int dropRemaining;
    private int inFlight;
    private int peakInFlight;
    private long latencyTicks;

    /// <summary>Added to every request (admin and token), waited asynchronously while the request holds a worker slot.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref latencyTicks));
        set => Interlocked.Exchange(ref latencyTicks, value.Ticks);
    }

    /// <summary>At most this many requests are processed at once; the rest wait in a FIFO queue. Null = no cap.</summary>
    public int? MaxInFlight { get; set; }

    /// <summary>Beyond <see cref="MaxInFlight"/> + this many waiting, a request is answered 503 at once. Null = unbounded queue.</summary>
    public int? MaxQueued { get; set; }

    /// <summary>Requests being processed now (holding a worker slot).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>The highest <see cref="InFlight"/> seen since start or <see cref="Reset"/>/<see cref="ResetPeakInFlight"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref peakInFlight);

    /// <summary>Requests waiting for a worker slot now.</summary>
    public int Queued
    {
        get
        {
            lock (sync)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> admin requests answer <paramref name="statusCode"/> (503, 429, 500...) without
    /// touching state; with <paramref name="retryAfter"/> they carry <c>Retry-After</c> in whole seconds (rounded up).
    /// With <paramref name="method"/>, only admin requests of that HTTP method count (e.g. fail the PUT of a
    /// read-modify-write, not its GET).
    /// </summary>
    public void FailNext(int count, int statusCode, TimeSpan? retryAfter = null, string? method = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (sync)
        {
            failRemaining = count;
            failStatus = statusCode;
            failRetryAfter = retryAfter;
            failMethod = method;
        }
    }

    /// <summary>The next <paramref name="count"/> requests (admin or token) get no response: the connection is aborted.</summary>
    public void DropNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref dropRemaining, count);
    }

    /// <summary>
    /// <c>GET</c> and <c>PUT</c> of that user answer <paramref name="statusCode"/> with <c>{"errorMessage": ...}</c>, as
    /// Keycloak does for a legacy user whose stored values fail the current user profile's validation.
    /// </summary>
    public void RejectUser(string realm, string userId, int statusCode = 400, string errorMessage = "error-invalid-length")
        => rejectedUsers[(realm, userId)] = (statusCode, errorMessage);

    /// <summary>Stops rejecting that user.</summary>
    public void UnrejectUser(string realm, string userId) => rejectedUsers.TryRemove((realm, userId), out _);

    /// <summary>Removes every fault and resets the peak counter (requests waiting now still complete).</summary>
    public void Reset()
    {
        lock (sync)
        {
            failRemaining = 0;
            failRetryAfter = null;
            failMethod = null;
            MaxInFlight = null;
            MaxQueued = null;
            peakInFlight = inFlight;
        }

        Latency = TimeSpan.Zero;
        Interlocked.Exchange(ref dropRemaining, 0);
        rejectedUsers.Clear();
        ReleaseWaiters();
    }

    /// <summary>Sets <see cref="PeakInFlight"/> to the current <see cref="InFlight"/>.</summary>
    public void ResetPeakInFlight()
    {
        lock (sync)
        {
            peakInFlight = inFlight;
        }
    }

    internal bool TryTakeDrop()
    {
        while (true)
        {
            var current = Volatile.Read(ref dropRemaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref dropRemaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    internal bool TryTakeFailure(string method, out int status, out TimeSpan? retryAfter)
    {
        lock (sync)
        {
            if (failRemaining > 0 && (failMethod is null || string.Equals(failMethod, method, StringComparison.OrdinalIgnoreCase)))
            {
                failRemaining--;
                status = failStatus;
                retryAfter = failRetryAfter;
                return true;
            }
        }

        status = 0;
        retryAfter = null;
        return false;
    }

    internal bool IsRejected(string realm, string userId, out int status, out string message)
    {
        if (rejectedUsers.TryGetValue((realm, userId), out var rejection))
        {
            (status, message) = rejection;
            return true;
        }

        status = 0;
        message = "";
        return false;
    }

    /// <summary>Waits for a worker slot. False = the queue is full: answer 503 at once.</summary>
    internal async ValueTask<bool> EnterAsync()
    {
        TaskCompletionSource waiter;
        lock (sync)
        {
            var max = MaxInFlight;
            if (max is null || inFlight < max.Value)
            {
                Admit();
                return true;
            }

            if (MaxQueued is { } maxQueued && waiting.Count >= maxQueued)
            {
                return false;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.Enqueue(waiter);
        }

        // The slot is handed over by Exit (the in-flight count already includes this request when the task completes).
        await waiter.Task.ConfigureAwait(false);
        return true;
    }

    internal void Exit()
    {
        TaskCompletionSource? next = null;
        lock (sync)
        {
            inFlight--;
            var max = MaxInFlight;
            if (waiting.Count > 0 && (max is null || inFlight < max.Value))
            {
                next = waiting.Dequeue();
                Admit();
            }
        }

        next?.TrySetResult();
    }

    private void Admit()
    {
        inFlight++;
        if (inFlight > peakInFlight)
        {
            peakInFlight = inFlight;
        }
    }

    private void ReleaseWaiters()
    {
        List<TaskCompletionSource> released = [];
        lock (sync)
        {
            while (waiting.Count > 0)
            {
                released.Add(waiting.Dequeue());
                Admit();
            }
        }

        foreach (var waiter in released)
        {
            waiter.TrySetResult();
        }
    }
}
