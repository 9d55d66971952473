namespace IdpBridge.Service.Rollouts;

/// <summary>
/// Wakes the <see cref="RolloutWorker"/> before its interval is up: a rollout was started through the admin API, or a
/// version was published (it may be a material version that takes effect soon).
/// </summary>
internal sealed class RolloutSignal
{
    private TaskCompletionSource next = NewSource();

    /// <summary>
    /// Completes at the next <see cref="Pulse"/>. Take it before looking at the store, so that a pulse during the look
    /// is not missed.
    /// </summary>
    public Task Next => Volatile.Read(ref next).Task;

    /// <summary>Wakes every current waiter.</summary>
    public void Pulse() => Interlocked.Exchange(ref next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
