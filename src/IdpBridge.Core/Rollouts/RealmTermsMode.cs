using IdpBridge.Keycloak.RequiredActions;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// How a realm asks its users to accept: through IdpBridge's required-action bridge (<c>idpbridge-terms</c>
/// registered and enabled: it decides at each login, one realm write reaches everyone) or through the Admin API
/// (Keycloak's own <c>TERMS_AND_CONDITIONS</c> put on each user by a rollout).
/// </summary>
public static class RealmTermsMode
{
    /// <summary>The bridge's provider id and required-action alias (keycloak-extension/).</summary>
    public const string BridgeAlias = "idpbridge-terms";

    /// <summary>Whether the realm's required actions (<c>GET /authentication/required-actions</c>) hold the bridge, enabled.</summary>
    public static bool UsesBridge(IEnumerable<RequiredActionProviderRepresentation> requiredActions)
    {
        ArgumentNullException.ThrowIfNull(requiredActions);
        return requiredActions.Any(action => action.Alias == BridgeAlias && action.Enabled);
    }
}
