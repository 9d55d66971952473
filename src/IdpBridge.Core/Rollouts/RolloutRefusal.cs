using System.Text.Json.Serialization;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// Why a rollout cannot start or go on (<see cref="RolloutException.Refusal"/>): a code for the caller to render (the
/// CLI with the command to run, the admin API as problem details), written as snake_case words in JSON
/// (<c>terms_action_disabled</c>).
/// </summary>
public enum RolloutRefusal
{
    /// <summary>The policy has no such version (facts: realm, policy, version).</summary>
    NoSuchVersion,

    /// <summary>No version was named and the policy has no material version or notice in force (facts: realm, policy).</summary>
    NoVersionInForce,

    /// <summary>The version is a minor change: nobody is asked again (facts: realm, policy, version).</summary>
    MinorVersion,

    /// <summary>The version takes effect later; its rollout can start then (facts: realm, policy, version, effectiveAt).</summary>
    NotYetEffective,

    /// <summary>The realm uses IdpBridge's required-action bridge: no rollout writes its users (facts: realm, policy, version).</summary>
    RealmUsesBridge,

    /// <summary>Keycloak has no such realm (facts: realm).</summary>
    NoSuchRealm,

    /// <summary>The realm has no <c>TERMS_AND_CONDITIONS</c> required action registered (facts: realm).</summary>
    TermsActionMissing,

    /// <summary><c>TERMS_AND_CONDITIONS</c> is disabled: Keycloak would not show the terms step (facts: realm).</summary>
    TermsActionDisabled,

    /// <summary><c>TERMS_AND_CONDITIONS</c> is not a default action: new users would never be asked (facts: realm).</summary>
    TermsActionNotDefault,

    /// <summary>The version has no rollout (facts: realm, policy, version when one was named; or the rollout id).</summary>
    NoSuchRollout,

    /// <summary>The rollout is not running, so there is nothing to cancel (facts: realm, policy, version, status).</summary>
    NotRunning,

    /// <summary>The rollout completed, so there is nothing to resume (facts: realm, policy, version, status, finishedAt).</summary>
    AlreadyCompleted,

    /// <summary>The realm has no such user, by id or username (facts: realm, user).</summary>
    NoSuchUser,

    /// <summary>The rollout's executor is writing that user right now; try again in a few seconds (facts: realm, user, executor).</summary>
    UserBeingWritten,

    /// <summary>The rollout recorded something new for that user at the same moment; try again (facts: realm, user).</summary>
    UserChangedMeanwhile,
}

/// <summary>
/// The facts of a <see cref="RolloutRefusal"/>: what it is about, each one null when it does not apply (JSON leaves
/// those out).
/// </summary>
/// <param name="Realm">The realm (null only when a rollout is named by its id alone).</param>
/// <param name="Policy">The policy (<c>privacy</c>).</param>
/// <param name="Version">The policy version.</param>
/// <param name="Status">The rollout's status (<c>running</c>, <c>completed</c>, <c>cancelled</c>).</param>
/// <param name="EffectiveAt">When the version takes effect.</param>
/// <param name="FinishedAt">When the rollout finished.</param>
/// <param name="User">The user as the caller named them (id or username), or their username once found.</param>
/// <param name="Executor">The lease owner of the rollout.</param>
/// <param name="RolloutId">The store's id of the rollout, when only that is known.</param>
public sealed record RolloutRefusalFacts(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Realm,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Policy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EffectiveAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? FinishedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? User = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Executor = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RolloutId = null)
{
    /// <summary>The facts of <paramref name="rollout"/>: its realm, policy, version and status.</summary>
    public static RolloutRefusalFacts Of(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return new(rollout.Realm, rollout.Policy, rollout.VersionNumber, RolloutService.Describe(rollout.Status));
    }
}
