using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>
/// A refused rollout (<see cref="RolloutException"/>: a code and its facts) as the CLI says it: what is wrong, and the
/// command that fixes it or shows more.
/// </summary>
internal static class RolloutRefusalText
{
    private const string TermsFix = "Set it in the realm config (requiredActions: TERMS_AND_CONDITIONS with enabled and defaultAction true) " +
        "and run: idpbridge realm apply";

    public static string Describe(RolloutException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var facts = refused.Facts;
        var (realm, policy, version) = (facts.Realm, facts.Policy, facts.Version);
        return refused.Refusal switch
        {
            RolloutRefusal.NoSuchVersion => $"Policy '{policy}' of realm '{realm}' has no version {version}. See: idpbridge policy list --realm {realm}",
            RolloutRefusal.NoVersionInForce =>
                $"Policy '{policy}' of realm '{realm}' has no material version or notice in force. Publish one first: idpbridge policy publish",
            RolloutRefusal.MinorVersion => $"Version {version} of '{policy}' is a minor change: users are not asked to accept it again. " +
                "Only a material version or a notice has a rollout.",
            RolloutRefusal.NotYetEffective => $"Version {version} of '{policy}' takes effect at {facts.EffectiveAt:O}: its rollout can start then " +
                "(the service starts it by itself).",
            RolloutRefusal.RealmUsesBridge => $"Realm '{realm}' uses IdpBridge's required-action bridge: version {version} is asked at each user's next login, " +
                "so no rollout writes its users.",
            RolloutRefusal.NoSuchRealm => $"Realm '{realm}' does not exist in Keycloak.",
            RolloutRefusal.TermsActionMissing => $"Realm '{realm}' has no TERMS_AND_CONDITIONS required action registered. {TermsFix}",
            RolloutRefusal.TermsActionDisabled =>
                $"TERMS_AND_CONDITIONS is disabled in realm '{realm}': Keycloak would not show the terms step to the users the rollout marks. {TermsFix}",
            RolloutRefusal.TermsActionNotDefault =>
                $"TERMS_AND_CONDITIONS is not a default action in realm '{realm}': users created during and after the rollout would never be asked. {TermsFix}",
            RolloutRefusal.NoSuchRollout when realm is null => $"There is no rollout {facts.RolloutId}.",
            RolloutRefusal.NoSuchRollout => version is { } number
                ? $"Version {number} of '{policy}' in realm '{realm}' has no rollout. Start one: idpbridge rollout start --realm {realm} --version {number}"
                : $"Policy '{policy}' of realm '{realm}' has no rollout yet. Start one: idpbridge rollout start --realm {realm}",
            RolloutRefusal.NotRunning => $"The rollout of {realm}/{policy} v{version} is {facts.Status}: there is nothing to cancel.",
            RolloutRefusal.AlreadyCompleted => $"The rollout of {realm}/{policy} v{version} completed at {facts.FinishedAt:O}: there is nothing to resume.",
            RolloutRefusal.NoSuchUser => $"Realm '{realm}' has no user '{facts.User}' (by id or username).",
            RolloutRefusal.UserBeingWritten => $"The rollout's executor {facts.Executor} is writing '{facts.User}' right now. Try again in a few seconds.",
            RolloutRefusal.UserChangedMeanwhile => $"The rollout recorded something new for '{facts.User}' at this very moment. Run the command again.",
            _ => refused.Message,
        };
    }
}
