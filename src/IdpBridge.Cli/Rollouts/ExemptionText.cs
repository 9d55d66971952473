using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>What an exemption did (<see cref="ExemptionResult"/>: a code and its facts) as the CLI says it, with what is left to do in the admin console.</summary>
internal static class ExemptionText
{
    public static string Describe(ExemptionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var who = $"{result.Username} ({result.UserId})";
        return result.Outcome switch
        {
            ExemptionOutcome.AlreadyExempted => $"{who} is exempted from this rollout already.",
            ExemptionOutcome.ActionKept => $"Exempted {who}. They carried TERMS_AND_CONDITIONS before this rollout, so it was left on them; " +
                "remove it in the admin console if they must not be asked (this rollout will not put it back).",
            ExemptionOutcome.ActionRemoved => $"Exempted {who} and removed the TERMS_AND_CONDITIONS this rollout had added.",
            ExemptionOutcome.ActionRemovalRefused when result.RemovalRefused is { } refused =>
                $"Exempted {who}, but Keycloak refused to remove the action ({refused.Reason}): fix " +
                $"{UserRefusal.WhatToFix(refused.Errors)} in the admin console and remove TERMS_AND_CONDITIONS there; this rollout will not put it back.",
            _ => $"Exempted {who}: this rollout will not ask them.",
        };
    }
}
