namespace IdpBridge.Core.Rollouts;

/// <summary>Why a run of a rollout ended.</summary>
public enum RunEnd
{
    /// <summary>Both walks are over: the rollout is completed.</summary>
    Completed,

    /// <summary>The rollout was cancelled; what was done is recorded.</summary>
    Cancelled,

    /// <summary>The run was stopped (Ctrl+C, shutdown) or Keycloak kept failing; resume continues it.</summary>
    Interrupted,

    /// <summary>Another executor holds the rollout: this one did nothing.</summary>
    Busy,

    /// <summary>Another executor took the lease over during the run (this one was too slow to renew it): it stopped writing.</summary>
    LeaseLost,

    /// <summary>The rollout is not running (completed or cancelled): nothing to do.</summary>
    NotRunning,
}

/// <summary>How a run ended and the rollout as it was left.</summary>
public sealed record RolloutRun(RunEnd End, Rollout Rollout, string? Message);
