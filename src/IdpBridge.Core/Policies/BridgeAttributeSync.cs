using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Writes the terms policy's version in force into the realm's attributes for IdpBridge's required-action bridge
/// (<see cref="BridgeRealmAttributes"/>): reads the realm, merges, and writes only when something changed, so every
/// other realm attribute survives and a realm already up to date costs one GET. Written whether or not the bridge is
/// installed (without it Keycloak keeps them and nobody reads them), so a realm moved to the bridge is current at once.
/// Stateless and convergent: run on publish, and by the service when a scheduled version takes effect.
/// </summary>
public sealed class BridgeAttributeSync(IPolicyStore store, KeycloakAdminClient keycloak, TimeProvider time, IOptions<PolicyOptions> options)
{
    /// <summary>
    /// Brings the realm's bridge attributes up to date; returns the names of those that changed (empty when the realm
    /// was up to date, or when the terms policy has no version in force yet).
    /// </summary>
    /// <exception cref="KeycloakException">The realm does not exist (404) or Keycloak failed.</exception>
    public async Task<IReadOnlyList<string>> SyncAsync(string realm, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        var policy = options.Value.TermsPolicy;
        var versions = await store.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        var wanted = BridgeRealmAttributes.For(policy, versions, time.GetUtcNow());
        if (wanted.Count == 0)
        {
            return [];
        }

        // The read and the write stay adjacent: Keycloak has no If-Match, and its PUT replaces the whole set.
        var live = await TermsTextSync.RequireRealmAsync(keycloak, realm, cancellationToken).ConfigureAwait(false);
        if (BridgeRealmAttributes.Merge(live.Attributes, wanted) is not { } merged)
        {
            return [];
        }

        await keycloak.ReplaceRealmAttributesAsync(realm, merged, cancellationToken).ConfigureAwait(false);
        return BridgeRealmAttributes.Names
            .Where(name => (live.Attributes?.GetValueOrDefault(name)) != wanted.GetValueOrDefault(name))
            .ToList();
    }
}
