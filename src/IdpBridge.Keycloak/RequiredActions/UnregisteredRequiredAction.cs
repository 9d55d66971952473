namespace IdpBridge.Keycloak.RequiredActions;

/// <summary>
/// A required-action provider installed in Keycloak (built in, or a jar in its <c>providers/</c>) that the realm has not
/// registered: an item of <c>GET /authentication/unregistered-required-actions</c>.
/// </summary>
/// <param name="ProviderId">The provider id to register it with.</param>
/// <param name="Name">The provider's display name.</param>
public sealed record UnregisteredRequiredAction(string? ProviderId, string? Name);
