using System.Globalization;
using IdpBridge.Core.Policies;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// A realm moved from IdpBridge's required-action bridge to Admin API mode: users who answered a version through the
/// bridge carry <c>idpbridge.terms.acceptedVersion</c> (or <c>acknowledgedVersion</c>), which Keycloak keeps and finds
/// by <c>q=</c> search though no user representation shows it. A new rollout exempts every user whose accepted version
/// is at or above its own (for a notice, an acknowledgement counts too), before the walk reaches them, so nobody is
/// asked twice for the same version. One search per version number and attribute, paged; nothing is written to users.
/// </summary>
internal static class BridgeAnswerExemptions
{
    /// <summary>The bridge's user attribute of an acceptance (keycloak-extension/README.md).</summary>
    public const string AcceptedVersion = BridgeRealmAttributes.Prefix + "acceptedVersion";

    /// <summary>The bridge's user attribute of a notice's acknowledgement.</summary>
    public const string AcknowledgedVersion = BridgeRealmAttributes.Prefix + "acknowledgedVersion";

    private const int PageSize = 500;

    /// <summary>Records the exemptions; returns how many users were exempted.</summary>
    public static async Task<int> ExemptAsync(
        KeycloakAdminClient keycloak, IRolloutStore store, Rollout rollout, PolicyVersion version, int highestNumber, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        string[] attributes = version.Kind == PolicyVersionKind.Notice ? [AcceptedVersion, AcknowledgedVersion] : [AcceptedVersion];
        var exempted = 0;
        var batch = new List<UserRevision>(PageSize);
        for (var number = version.Number; number <= highestNumber; number++)
        {
            foreach (var attribute in attributes)
            {
                var query = new UserQuery
                {
                    Attributes = new Dictionary<string, string> { [attribute] = number.ToString(CultureInfo.InvariantCulture) },
                    BriefRepresentation = true,
                };
                var reason = $"{(attribute == AcceptedVersion ? "accepted" : "acknowledged")} version {number} through IdpBridge's required-action bridge";
                await foreach (var user in keycloak.StreamUsersAsync(rollout.Realm, query, PageSize, cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(new UserRevision(new UserResult(user.Id!, UserOutcome.Exempted, user.Username, reason), Was: null));
                    if (batch.Count == PageSize)
                    {
                        exempted += await store.ReviseAsync(rollout.Id, batch, now, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }
                }
            }
        }

        exempted += await store.ReviseAsync(rollout.Id, batch, now, cancellationToken).ConfigureAwait(false);
        return exempted;
    }
}
