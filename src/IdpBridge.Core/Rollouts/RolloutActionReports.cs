using System.Text.Json.Serialization;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// What <c>rollout retry</c> did, and the rollout afterwards: the CLI's <c>--output json</c> and the admin API's
/// <c>POST .../retry</c> write this one record.
/// </summary>
/// <param name="Retried">Refused users tried again.</param>
/// <param name="Marked">Of them, marked now.</param>
/// <param name="Settled">Of them, needing nothing more (accepted meanwhile, or carrying the action).</param>
/// <param name="StillFailed">Of them, refused again.</param>
/// <param name="Stopped">Why the retry stopped before its end (Keycloak kept failing); null when it finished.</param>
/// <param name="Rollout">The rollout afterwards.</param>
public sealed record RolloutRetryReport(int Retried, int Marked, int Settled, int StillFailed, string? Stopped, RolloutStatusReport Rollout)
{
    /// <summary>The report of <paramref name="result"/>, with the rollout as <paramref name="rollout"/> shows it.</summary>
    public static RolloutRetryReport From(RetryResult result, RolloutStatusReport rollout)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Retried, result.Marked, result.Settled, result.StillFailed, result.Stopped, rollout);
    }
}

/// <summary>
/// What an exemption did: the CLI's <c>rollout exempt --output json</c> and the admin API's <c>POST .../exemptions</c>
/// write this one record, each with its own <paramref name="Message"/> for the same code and facts.
/// </summary>
/// <param name="UserId">Keycloak's user id.</param>
/// <param name="Username">The username.</param>
/// <param name="Was">The user's outcome before (<c>marked</c>, <c>failed</c>...); null when the rollout had not met them.</param>
/// <param name="ActionRemoved">Whether the TERMS_AND_CONDITIONS this rollout added was taken off the user.</param>
/// <param name="Code">What happened (<c>action_removed</c>, <c>action_kept</c>...).</param>
/// <param name="RemovalRefused">Why Keycloak refused to remove the action; absent unless the code is <c>action_removal_refused</c>.</param>
/// <param name="Message">What was done, in the words of the output that writes the record.</param>
/// <param name="Counts">The rollout's counts afterwards.</param>
public sealed record RolloutExemptionReport(
    string UserId, string? Username, UserOutcome? Was, bool ActionRemoved, ExemptionOutcome Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExemptionRemovalRefusal? RemovalRefused, string Message,
    RolloutCounts Counts)
{
    /// <summary>The report of <paramref name="result"/>, saying <paramref name="message"/>.</summary>
    public static RolloutExemptionReport From(ExemptionResult result, string message)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(result.UserId, result.Username, result.Was, result.ActionRemoved, result.Outcome, result.RemovalRefused, message, result.Rollout.Counts);
    }
}
