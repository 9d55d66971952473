using System.Net;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// Marking one user for a rollout, as the walk, its closing sweep and a retry all do it: a fresh read, then (unless
/// the user is a service account, carries the action or accepted since the start) a PUT of only
/// <c>requiredActions</c>. A refusal about the user (400, 404, 409) becomes a failed outcome with Keycloak's reasons;
/// any other Keycloak failure is thrown, for the caller to stop on.
/// </summary>
internal static class TermsMarking
{
    public const string Terms = RequiredActionProviderRepresentation.TermsAndConditions;

    public static bool IsServiceAccount(UserRepresentation user) => user.ServiceAccountClientLink is not null;

    public static bool CarriesTerms(UserRepresentation user) => user.RequiredActions?.Contains(Terms, StringComparer.Ordinal) == true;

    /// <summary>Whether the user accepted at or after <paramref name="start"/> (a whole second, as Keycloak records it).</summary>
    public static bool AcceptedSince(UserRepresentation user, DateTimeOffset start) => user.TermsAcceptedAt is { } accepted && accepted >= start;

    /// <summary>What the list representation alone tells about a user; null when a write is needed.</summary>
    public static UserOutcome? Classify(UserRepresentation user, DateTimeOffset start)
    {
        if (IsServiceAccount(user))
        {
            return UserOutcome.Skipped;
        }

        if (CarriesTerms(user))
        {
            return UserOutcome.AlreadyPending;
        }

        return AcceptedSince(user, start) ? UserOutcome.AlreadyAccepted : null;
    }

    /// <summary>
    /// Adds the action to the user from a fresh read. <paramref name="wasPending"/>: a write for this user may have been
    /// sent by a run that crashed, so finding the action counts as marked.
    /// </summary>
    /// <exception cref="KeycloakException">Keycloak failed for a reason not about the user (5xx, no answer, 401...).</exception>
    public static async Task<UserResult> MarkAsync(
        KeycloakAdminClient keycloak, string realm, UserRepresentation user, DateTimeOffset start, bool wasPending, CancellationToken cancellationToken)
    {
        try
        {
            var result = await keycloak.AddRequiredActionAsync(
                realm, user.Id!, Terms, fresh => !IsServiceAccount(fresh) && !AcceptedSince(fresh, start), cancellationToken).ConfigureAwait(false);
            var outcome = result.Change switch
            {
                RequiredActionChange.Added => UserOutcome.Marked,
                RequiredActionChange.AlreadyPresent => wasPending ? UserOutcome.Marked : UserOutcome.AlreadyPending,
                _ => IsServiceAccount(result.User) ? UserOutcome.Skipped : UserOutcome.AlreadyAccepted,
            };
            // The username is kept only where an administrator needs it (failures, re-marks, exemptions): it is personal data.
            return new UserResult(user.Id!, outcome);
        }
        catch (KeycloakException exception) when (exception.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return new UserResult(user.Id!, UserOutcome.Failed, user.Username, UserRefusal.Reason(exception),
                exception.FieldErrors.Count == 0 ? null : exception.FieldErrors);
        }
    }
}
