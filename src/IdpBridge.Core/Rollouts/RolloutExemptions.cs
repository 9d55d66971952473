using System.Globalization;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>What exempting a user did.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="Username">Their username.</param>
/// <param name="Was">What the rollout had recorded for them before (null: not walked yet, or a write left unsettled by a stopped run).</param>
/// <param name="ActionRemoved">The action this rollout had added was removed from the user.</param>
/// <param name="Message">What happened, in words, with what is left to do if anything.</param>
/// <param name="Rollout">The rollout afterwards.</param>
public sealed record ExemptionResult(string UserId, string? Username, UserOutcome? Was, bool ActionRemoved, string Message, Rollout Rollout);

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
            return new ExemptionResult(id, found.Username, was, false, $"{found.Username} ({id}) is exempted from this rollout already.", rollout);
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
        string message;
        var removed = false;
        if (!ours || !TermsMarking.CarriesTerms(found))
        {
            message = was == UserOutcome.AlreadyPending && TermsMarking.CarriesTerms(found)
                ? $"Exempted {found.Username} ({id}). They carried TERMS_AND_CONDITIONS before this rollout, so it was left on them; " +
                  "remove it in the admin console if they must not be asked (this rollout will not put it back)."
                : $"Exempted {found.Username} ({id}): this rollout will not ask them.";
        }
        else
        {
            try
            {
                removed = (await keycloak.RemoveRequiredActionAsync(rollout.Realm, id, TermsMarking.Terms, cancellationToken).ConfigureAwait(false)).Change
                    == RequiredActionChange.Removed;
                message = $"Exempted {found.Username} ({id}) and removed the TERMS_AND_CONDITIONS this rollout had added.";
            }
            catch (KeycloakException exception) when (exception.StatusCode == System.Net.HttpStatusCode.BadRequest)
            {
                message = $"Exempted {found.Username} ({id}), but Keycloak refused to remove the action ({UserRefusal.Reason(exception)}): fix " +
                    $"{UserRefusal.WhatToFix(exception.FieldErrors)} in the admin console and remove TERMS_AND_CONDITIONS there; this rollout will not put it back.";
            }
        }

        var after = await store.GetAsync(rollout.Id, cancellationToken).ConfigureAwait(false) ?? rollout;
        return new ExemptionResult(id, found.Username, was, removed, message, after);
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
