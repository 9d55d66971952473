using System.Globalization;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>What exempting a user did: the code of <see cref="ExemptionResult"/>, written as snake_case words in JSON.</summary>
public enum ExemptionOutcome
{
    /// <summary>The rollout had exempted the user already: nothing changed.</summary>
    AlreadyExempted,

    /// <summary>Exempted; the user carried no action of this rollout, so nothing was removed.</summary>
    Exempted,

    /// <summary>Exempted; the user carried <c>TERMS_AND_CONDITIONS</c> before this rollout, so it was left on them.</summary>
    ActionKept,

    /// <summary>Exempted, and the <c>TERMS_AND_CONDITIONS</c> this rollout had added was removed.</summary>
    ActionRemoved,

    /// <summary>Exempted, but Keycloak refused to remove the action (facts: <see cref="ExemptionResult.RemovalRefused"/>).</summary>
    ActionRemovalRefused,
}

/// <summary>Why Keycloak refused to remove the action from an exempted user.</summary>
/// <param name="Reason">Keycloak's status and messages, as a refused user's reason is stored (<c>400: lastName error-person-name-invalid-character</c>).</param>
/// <param name="Errors">The attributes Keycloak's user profile refused (what to fix in the admin console first).</param>
public sealed record ExemptionRemovalRefusal(string Reason, IReadOnlyList<KeycloakFieldError> Errors);

/// <summary>What exempting a user did: a code and its facts, which the CLI and the admin API render.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="Username">Their username.</param>
/// <param name="Was">What the rollout had recorded for them before (null: not walked yet, or a write left unsettled by a stopped run).</param>
/// <param name="ActionRemoved">The action this rollout had added was removed from the user.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="RemovalRefused">Why Keycloak refused to remove the action (<see cref="ExemptionOutcome.ActionRemovalRefused"/>); null otherwise.</param>
/// <param name="Rollout">The rollout afterwards.</param>
public sealed record ExemptionResult(
    string UserId, string? Username, UserOutcome? Was, bool ActionRemoved, ExemptionOutcome Outcome, ExemptionRemovalRefusal? RemovalRefused, Rollout Rollout);

/// <summary>
/// Exempts a user from a rollout: the exemption is recorded in the rollout, so its walk, its closing sweep and retries
/// leave the user alone, and the <c>TERMS_AND_CONDITIONS</c> this rollout added is removed from the user. This is the
/// way to exempt someone: removing the action in Keycloak's admin console is undone by the closing sweep, which puts
/// back an action that vanished from a user the rollout marked.
/// </summary>
public sealed class RolloutExemptions(KeycloakAdminClient keycloak, IRolloutStore store, TimeProvider time)
{
    /// <summary>
    /// Exempts the user named <paramref name="user"/> (a Keycloak user id or a username) from <paramref name="rollout"/>,
    /// recording <paramref name="by"/> and <paramref name="reason"/>. Throws <see cref="RolloutException"/> when the user
    /// does not exist or is being written right now.
    /// </summary>
    public async Task<ExemptionResult> ExemptAsync(Rollout rollout, string user, string reason, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var found = await FindUserAsync(rollout.Realm, user.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new RolloutException(RolloutRefusal.NoSuchUser, new RolloutRefusalFacts(rollout.Realm, rollout.Policy, rollout.VersionNumber, User: user));
        var id = found.Id!;
        var recorded = await store.GetOutcomesAsync(rollout.Id, [id], cancellationToken).ConfigureAwait(false);
        var hasRow = recorded.TryGetValue(id, out var was);
        var now = time.GetUtcNow();
        if (hasRow && was is null && rollout.Status == RolloutStatus.Running && rollout.LeaseUntil > now)
        {
            throw new RolloutException(RolloutRefusal.UserBeingWritten, new RolloutRefusalFacts(
                rollout.Realm, rollout.Policy, rollout.VersionNumber, User: found.Username, Executor: rollout.LeaseOwner?.Value));
        }

        if (was == UserOutcome.Exempted)
        {
            return new ExemptionResult(id, found.Username, was, false, ExemptionOutcome.AlreadyExempted, null, rollout);
        }

        var note = $"Exempted by {by} on {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}: {reason.Trim()}";
        var applied = await store.ReviseAsync(rollout.Id, [new UserRevision(new UserResult(id, UserOutcome.Exempted, found.Username, note), was)], now, cancellationToken)
            .ConfigureAwait(false);
        if (applied == 0)
        {
            throw new RolloutException(RolloutRefusal.UserChangedMeanwhile, new RolloutRefusalFacts(rollout.Realm, rollout.Policy, rollout.VersionNumber, User: found.Username));
        }

        // Only the action this rollout put there is taken away: one the user carried before stays (another version's rollout, an administrator).
        var ours = was == UserOutcome.Marked || (hasRow && was is null);
        ExemptionOutcome outcome;
        ExemptionRemovalRefusal? refusal = null;
        var removed = false;
        if (!ours || !TermsMarking.CarriesTerms(found))
        {
            outcome = was == UserOutcome.AlreadyPending && TermsMarking.CarriesTerms(found) ? ExemptionOutcome.ActionKept : ExemptionOutcome.Exempted;
        }
        else
        {
            try
            {
                removed = (await keycloak.RemoveRequiredActionAsync(rollout.Realm, id, TermsMarking.Terms, cancellationToken).ConfigureAwait(false)).Change
                    == RequiredActionChange.Removed;
                outcome = ExemptionOutcome.ActionRemoved;
            }
            catch (KeycloakException exception) when (exception.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                outcome = ExemptionOutcome.ActionRemovalRefused;
                refusal = new ExemptionRemovalRefusal(UserRefusal.Reason(exception), [.. exception.FieldErrors]);
            }
        }

        var after = await store.GetAsync(rollout.Id, cancellationToken).ConfigureAwait(false) ?? rollout;
        return new ExemptionResult(id, found.Username, was, removed, outcome, refusal, after);
    }

    private async Task<UserRepresentation?> FindUserAsync(string realm, string user, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(user, out _) && await keycloak.FindUserAsync(realm, user, cancellationToken).ConfigureAwait(false) is { } byId)
        {
            return byId;
        }

        await foreach (var candidate in keycloak.GetUsersAsync(realm, new UserQuery { Username = user, Exact = true }, 0, 2, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(candidate.Username, user, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
