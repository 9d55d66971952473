using IdpBridge.Core.Rollouts;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The admin API's answer to an exemption: the record's <c>code</c> and facts (the user is in <c>userId</c> and
/// <c>username</c>, the attributes to correct in <c>removalRefused.errors</c>), and a <c>message</c> for an HTTP
/// caller, who is pointed at Keycloak's own API or console rather than at the command line.
/// </summary>
internal static class ExemptionAnswer
{
    public static RolloutExemptionReport From(ExemptionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return RolloutExemptionReport.From(result, result.Outcome switch
        {
            ExemptionOutcome.AlreadyExempted => "The user is exempted from this rollout already.",
            ExemptionOutcome.ActionKept => "Exempted. The user carried TERMS_AND_CONDITIONS before this rollout, so it was left on them; " +
                "take it off the user in Keycloak if they must not be asked (this rollout will not put it back).",
            ExemptionOutcome.ActionRemoved => "Exempted, and the TERMS_AND_CONDITIONS this rollout had added was removed.",
            ExemptionOutcome.ActionRemovalRefused => $"Exempted, but Keycloak refused to remove the action ({result.RemovalRefused?.Reason}): " +
                "correct the attributes in removalRefused.errors in Keycloak, then take TERMS_AND_CONDITIONS off the user; this rollout will not put it back.",
            _ => "Exempted: this rollout will not ask the user.",
        });
    }
}
