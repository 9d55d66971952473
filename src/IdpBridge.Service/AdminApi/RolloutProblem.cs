using System.Text.Json;
using IdpBridge.Core;
using IdpBridge.Core.Rollouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// A refused rollout request as the admin API answers it: RFC 7807 problem details with the refusal's
/// <c>code</c> and <c>facts</c> (the same as the CLI's), a status that says whether asking again can help (404 and 422:
/// no; 409: once the realm or the time is right) and advice for an HTTP caller (never a command line to run).
/// </summary>
internal static class RolloutProblem
{
    public static ProblemHttpResult From(RolloutException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var facts = refused.Facts;
        var (status, title, detail) = refused.Refusal switch
        {
            RolloutRefusal.NoSuchVersion => (StatusCodes.Status404NotFound, "No such version",
                $"Policy '{facts.Policy}' of realm '{facts.Realm}' has no version {facts.Version}: GET /api/admin/realms/{facts.Realm}/policies/{facts.Policy} lists them."),
            RolloutRefusal.NoVersionInForce => (StatusCodes.Status404NotFound, "No version in force",
                $"Policy '{facts.Policy}' of realm '{facts.Realm}' has no material version or notice in force: publish one first."),
            RolloutRefusal.MinorVersion => (StatusCodes.Status422UnprocessableEntity, "Not a material version",
                $"Version {facts.Version} of '{facts.Policy}' is a minor change: users are not asked to accept it again. Only a material version or a notice has a rollout."),
            RolloutRefusal.NotYetEffective => (StatusCodes.Status409Conflict, "Not in effect yet",
                $"Version {facts.Version} of '{facts.Policy}' takes effect at {facts.EffectiveAt:O}: the service starts its rollout then."),
            RolloutRefusal.RealmUsesBridge => (StatusCodes.Status409Conflict, "The realm uses the bridge",
                $"Realm '{facts.Realm}' uses IdpBridge's required-action bridge: version {facts.Version} is asked at each user's next login, so no rollout writes its users."),
            RolloutRefusal.NoSuchRealm => (StatusCodes.Status404NotFound, "No such realm", $"Realm '{facts.Realm}' does not exist in Keycloak."),
            RolloutRefusal.TermsActionMissing or RolloutRefusal.TermsActionDisabled or RolloutRefusal.TermsActionNotDefault => (StatusCodes.Status409Conflict,
                "The rollout cannot start",
                $"{TermsActionState(refused.Refusal, facts.Realm)} Enable TERMS_AND_CONDITIONS as a default action in the realm's required actions, then ask again."),
            RolloutRefusal.NoSuchRollout => (StatusCodes.Status404NotFound, "No such rollout",
                facts.Version is { } version
                    ? $"Version {version} of '{facts.Policy}' in realm '{facts.Realm}' has no rollout."
                    : $"Policy '{facts.Policy}' of realm '{facts.Realm}' has no rollout yet."),
            RolloutRefusal.NotRunning => (StatusCodes.Status409Conflict, "The rollout is not running",
                $"The rollout of {facts.Realm}/{facts.Policy} v{facts.Version} is {facts.Status}: there is nothing to cancel."),
            RolloutRefusal.AlreadyCompleted => (StatusCodes.Status409Conflict, "The rollout is completed",
                $"The rollout of {facts.Realm}/{facts.Policy} v{facts.Version} completed at {facts.FinishedAt:O}: there is nothing to resume."),
            RolloutRefusal.NoSuchUser => (StatusCodes.Status404NotFound, "No such user", $"Realm '{facts.Realm}' has no user '{facts.User}' (by id or username)."),
            RolloutRefusal.UserBeingWritten => (StatusCodes.Status409Conflict, "The user cannot be exempted",
                $"The rollout's executor {facts.Executor} is writing '{facts.User}' right now: ask again in a few seconds."),
            RolloutRefusal.UserChangedMeanwhile => (StatusCodes.Status409Conflict, "The user cannot be exempted",
                $"The rollout recorded something new for '{facts.User}' at this very moment: ask again."),
            _ => (StatusCodes.Status409Conflict, "Refused", refused.Code),
        };
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?>
        {
            ["code"] = refused.Code,
            ["facts"] = JsonSerializer.SerializeToElement(facts, IdpBridgeJson.Options),
        });
    }

    private static string TermsActionState(RolloutRefusal refusal, string? realm) => refusal switch
    {
        RolloutRefusal.TermsActionMissing => $"Realm '{realm}' has no TERMS_AND_CONDITIONS required action registered.",
        RolloutRefusal.TermsActionDisabled =>
            $"TERMS_AND_CONDITIONS is disabled in realm '{realm}': Keycloak would not show the terms step to the users the rollout marks.",
        _ => $"TERMS_AND_CONDITIONS is not a default action in realm '{realm}': users created during and after the rollout would never be asked.",
    };
}
