using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Rollouts;

/// <summary>What a retry of a rollout's refused users did.</summary>
/// <param name="Retried">Refused users tried again.</param>
/// <param name="Marked">Of those, users who now carry the action.</param>
/// <param name="Settled">Users who need nothing any more: they accepted meanwhile, carry the action already, or became a service account.</param>
/// <param name="StillFailed">Users Keycloak refused again (or who were deleted); their reasons are Keycloak's latest.</param>
/// <param name="Stopped">Why the retry stopped before the end (Keycloak failing); null when it went through every refused user.</param>
/// <param name="Rollout">The rollout afterwards.</param>
public sealed record RetryResult(int Retried, int Marked, int Settled, int StillFailed, string? Stopped, Rollout Rollout);

/// <summary>
/// Tries again the users a rollout could not mark, once an administrator has fixed their data: each is read afresh and
/// marked as the walk would (<see cref="TermsMarking"/>), and their outcome and the rollout's counts change
/// accordingly. Works on a running, cancelled or completed rollout; it runs beside an executor safely, since each
/// change applies only while the user is still recorded as failed.
/// </summary>
public sealed class RolloutRetry(KeycloakAdminClient keycloak, IRolloutStore store, IOptions<KeycloakOptions> keycloakOptions, TimeProvider time)
{
    /// <summary>Refused users read from the store and retried at a time.</summary>
    private const int Batch = 200;

    /// <summary>Retries every user the rollout recorded as failed; <paramref name="progress"/> hears the number retried so far.</summary>
    public async Task<RetryResult> RetryAsync(Rollout rollout, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, keycloakOptions.Value.InFlightCeiling), CancellationToken = cancellationToken };
        int retried = 0, marked = 0, settled = 0, stillFailed = 0;
        string? stopped = null;
        string? after = null;
        while (stopped is null)
        {
            var page = await store.ListUsersAsync(rollout.Id, RolloutUserKind.Failed, after, Batch, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].UserId;
            var results = new UserResult?[page.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, page.Count), parallel, async (index, token) =>
            {
                if (stopped is not null)
                {
                    return;
                }

                var user = new UserRepresentation { Id = page[index].UserId, Username = page[index].Username };
                try
                {
                    results[index] = await TermsMarking.MarkAsync(keycloak, rollout.Realm, user, rollout.StartedAt, wasPending: false, token).ConfigureAwait(false);
                }
                catch (KeycloakException exception)
                {
                    Interlocked.CompareExchange(ref stopped, exception.Message, null);
                }
            }).ConfigureAwait(false);

            var revisions = results.OfType<UserResult>().Select(result => new UserRevision(result, UserOutcome.Failed)).ToList();
            await store.ReviseAsync(rollout.Id, revisions, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            foreach (var result in revisions.Select(revision => revision.Result))
            {
                retried++;
                switch (result.Outcome)
                {
                    case UserOutcome.Marked:
                        marked++;
                        break;
                    case UserOutcome.Failed:
                        stillFailed++;
                        break;
                    default:
                        settled++;
                        break;
                }
            }

            progress?.Report(retried);
        }

        var final = await store.GetAsync(rollout.Id, cancellationToken).ConfigureAwait(false) ?? rollout;
        return new RetryResult(retried, marked, settled, stillFailed, stopped, final);
    }
}
