using System.Collections.Concurrent;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// Faults the simulator injects: latency, a bounded worker pool with a bounded queue (Keycloak's
/// <c>http-max-queued-requests</c>), error bursts, dropped connections and users whose stored data fails re-validation.
/// Thread-safe; changes apply to requests that arrive afterwards.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly object _sync = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly ConcurrentDictionary<(string Realm, string UserId), (int Status, string Message)> _rejectedUsers = new();
    private int _failRemaining;
    private int _failStatus;
    private TimeSpan? _failRetryAfter;
    private string? _failMethod;
    private int _dropRemaining;
    private int _inFlight;
    private int _peakInFlight;
    private long _latencyTicks;

    /// <summary>Added to every request (admin and token), waited asynchronously while the request holds a worker slot.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>At most this many requests are processed at once; the rest wait in a FIFO queue. Null = no cap.</summary>
    public int? MaxInFlight { get; set; }

    /// <summary>Beyond <see cref="MaxInFlight"/> + this many waiting, a request is answered 503 at once. Null = unbounded queue.</summary>
    public int? MaxQueued { get; set; }

    /// <summary>Requests being processed now (holding a worker slot).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The highest <see cref="InFlight"/> seen since start or <see cref="Reset"/>/<see cref="ResetPeakInFlight"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests waiting for a worker slot now.</summary>
    public int Queued
    {
        get
        {
            lock (_sync)
            {
                return _waiting.Count;
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
        lock (_sync)
        {
            _failRemaining = count;
            _failStatus = statusCode;
            _failRetryAfter = retryAfter;
            _failMethod = method;
        }
    }

    /// <summary>The next <paramref name="count"/> requests (admin or token) get no response: the connection is aborted.</summary>
    public void DropNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref _dropRemaining, count);
    }

    /// <summary>
    /// <c>GET</c> and <c>PUT</c> of that user answer <paramref name="statusCode"/> with <c>{"errorMessage": ...}</c>, as
    /// Keycloak does for a legacy user whose stored values fail the current user profile's validation.
    /// </summary>
    public void RejectUser(string realm, string userId, int statusCode = 400, string errorMessage = "error-invalid-length")
        => _rejectedUsers[(realm, userId)] = (statusCode, errorMessage);

    /// <summary>Stops rejecting that user.</summary>
    public void UnrejectUser(string realm, string userId) => _rejectedUsers.TryRemove((realm, userId), out _);

    /// <summary>Removes every fault and resets the peak counter (requests waiting now still complete).</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _failRemaining = 0;
            _failRetryAfter = null;
            _failMethod = null;
            MaxInFlight = null;
            MaxQueued = null;
            _peakInFlight = _inFlight;
        }

        Latency = TimeSpan.Zero;
        Interlocked.Exchange(ref _dropRemaining, 0);
        _rejectedUsers.Clear();
        ReleaseWaiters();
    }

    /// <summary>Sets <see cref="PeakInFlight"/> to the current <see cref="InFlight"/>.</summary>
    public void ResetPeakInFlight()
    {
        lock (_sync)
        {
            _peakInFlight = _inFlight;
        }
    }

    internal bool TryTakeDrop()
    {
        while (true)
        {
            var current = Volatile.Read(ref _dropRemaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _dropRemaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    internal bool TryTakeFailure(string method, out int status, out TimeSpan? retryAfter)
    {
        lock (_sync)
        {
            if (_failRemaining > 0 && (_failMethod is null || string.Equals(_failMethod, method, StringComparison.OrdinalIgnoreCase)))
            {
                _failRemaining--;
                status = _failStatus;
                retryAfter = _failRetryAfter;
                return true;
            }
        }

        status = 0;
        retryAfter = null;
        return false;
    }

    internal bool IsRejected(string realm, string userId, out int status, out string message)
    {
        if (_rejectedUsers.TryGetValue((realm, userId), out var rejection))
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
        lock (_sync)
        {
            var max = MaxInFlight;
            if (max is null || _inFlight < max.Value)
            {
                Admit();
                return true;
            }

            if (MaxQueued is { } maxQueued && _waiting.Count >= maxQueued)
            {
                return false;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }

        // The slot is handed over by Exit (the in-flight count already includes this request when the task completes).
        await waiter.Task.ConfigureAwait(false);
        return true;
    }

    internal void Exit()
    {
        TaskCompletionSource? next = null;
        lock (_sync)
        {
            _inFlight--;
            var max = MaxInFlight;
            if (_waiting.Count > 0 && (max is null || _inFlight < max.Value))
            {
                next = _waiting.Dequeue();
                Admit();
            }
        }

        next?.TrySetResult();
    }

    private void Admit()
    {
        _inFlight++;
        if (_inFlight > _peakInFlight)
        {
            _peakInFlight = _inFlight;
        }
    }

    private void ReleaseWaiters()
    {
        List<TaskCompletionSource> released = [];
        lock (_sync)
        {
            while (_waiting.Count > 0)
            {
                released.Add(_waiting.Dequeue());
                Admit();
            }
        }

        foreach (var waiter in released)
        {
            waiter.TrySetResult();
        }
    }
}
