using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Core.Rollouts;

/// <summary>How the cap on requests in flight is set.</summary>
public enum InFlightMode
{
    /// <summary>It adapts to the answers a second Keycloak gives, its latency and its 429/503 answers (no <c>MaxInFlight</c> set).</summary>
    Adaptive,

    /// <summary>Fixed by <c>--max-in-flight</c> (<c>IdpBridge:Keycloak:MaxInFlight</c>); still halved on 429/503.</summary>
    Fixed,
}

/// <summary>
/// The cap on Keycloak requests in flight that a rollout's executor ran under, stored with the rollout at each page's
/// checkpoint (and when the run stops), as facts: the CLI and the admin API put them in words or JSON. The cap is the
/// executor process's: everything it sends to Keycloak shares it.
/// </summary>
/// <param name="Cap">Requests allowed in flight at the last checkpoint.</param>
/// <param name="Mode">Adaptive or fixed.</param>
/// <param name="Ceiling">The most it allows: the fixed value, or the adaptive ceiling.</param>
/// <param name="Changes">How many times it changed during the executor's run (the last run when none runs now).</param>
/// <param name="LastChange">Its last change, from, to, why and when; null while the executor's cap never changed.</param>
public sealed record RolloutInFlight(int Cap, InFlightMode Mode, int Ceiling, int Changes, ThrottleChange? LastChange)
{
    /// <summary>
    /// The throttle's <paramref name="state"/> during a run that began when it had made <paramref name="changesBefore"/>
    /// changes; the change's time to the millisecond, as the store keeps it.
    /// </summary>
    public static RolloutInFlight From(ThrottleState state, long changesBefore)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(
            state.Limit, state.Adaptive ? InFlightMode.Adaptive : InFlightMode.Fixed, state.Ceiling,
            (int)Math.Min(int.MaxValue, Math.Max(0, state.Changes - changesBefore)),
            state.LastChange is { } change ? change with { At = StoreTime.TruncateToMilliseconds(change.At) } : null);
    }
}
