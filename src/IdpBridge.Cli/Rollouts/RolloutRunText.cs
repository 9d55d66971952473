using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>How the CLI says why a run of a rollout ended (<see cref="RolloutRun"/>: the end and its facts), or null when there is nothing to say.</summary>
internal static class RolloutRunText
{
    public static string? Describe(RolloutRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.End switch
        {
            RunEnd.NotRunning => $"The rollout is {RolloutService.Describe(run.Rollout.Status)}.",
            RunEnd.Busy => $"Executor {run.Rollout.LeaseOwner} runs it (lease until {run.Rollout.LeaseUntil:O}).",
            RunEnd.LeaseLost => "Another executor took the rollout over.",

            // The rollout's note, stored as the run gave the lease back, says why it stopped and what resume does.
            RunEnd.Interrupted => run.Rollout.Message,
            _ => null,
        };
    }
}
