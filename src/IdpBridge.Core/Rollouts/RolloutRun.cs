namespace IdpBridge.Core.Rollouts;

/// <summary>Why a run of a rollout ended.</summary>
public enum RunEnd
{
    /// <summary>Both walks are over: the rollout is completed.</summary>
    Completed,

    /// <summary>The rollout was cancelled; what was done is recorded.</summary>
    Cancelled,

    /// <summary>The run was stopped (Ctrl+C, shutdown) or Keycloak kept failing; resume continues it (facts: <see cref="RunInterruption"/>).</summary>
    Interrupted,

    /// <summary>Another executor holds the rollout: this one did nothing (facts: the rollout's lease owner and lease end).</summary>
    Busy,

    /// <summary>Another executor took the lease over during the run (this one was too slow to renew it): it stopped writing.</summary>
    LeaseLost,

    /// <summary>The rollout is not running (completed or cancelled): nothing to do (facts: the rollout's status).</summary>
    NotRunning,
}

/// <summary>
/// How a run ended and the rollout as it was left: the end is the code, the rollout and <paramref name="Interruption"/>
/// its facts, which the caller renders (the CLI in words, the service in its log).
/// </summary>
/// <param name="End">How it ended.</param>
/// <param name="Rollout">The rollout afterwards (for <see cref="RunEnd.Busy"/>: with the executor that holds it).</param>
/// <param name="Interruption">Why an <see cref="RunEnd.Interrupted"/> run stopped; null for every other end.</param>
public sealed record RolloutRun(RunEnd End, Rollout Rollout, RunInterruption? Interruption = null);

/// <summary>
/// Why a run stopped before the rollout's end. The rollout's stored note (<see cref="Rollout.Message"/>) says the same
/// in words, for <c>rollout status</c> and the admin API.
/// </summary>
/// <param name="KeycloakFailure">What Keycloak answered when it kept failing (status, method and path, or the role the client lacks); null when it did not fail.</param>
/// <param name="Requested">The caller stopped the run (Ctrl+C, the service shutting down).</param>
/// <param name="SweepStartsOver">Keycloak failed during the closing sweep, so resume walks the sweep again from the start.</param>
public sealed record RunInterruption(string? KeycloakFailure, bool Requested, bool SweepStartsOver)
{
    /// <summary>The note stored in the rollout for this interruption.</summary>
    internal string Note => this switch
    {
        { KeycloakFailure: { } failure, SweepStartsOver: true } =>
            $"Stopped: {failure}. Resume walks the closing sweep again from the start: Keycloak may have lost the writes it acknowledged just before.",
        { KeycloakFailure: { } failure } => $"Stopped: {failure}. Resume continues where it stopped.",
        { Requested: true } => "Stopped by request. Resume continues where it stopped.",
        _ => "Stopped. Resume continues where it stopped.",
    };
}
