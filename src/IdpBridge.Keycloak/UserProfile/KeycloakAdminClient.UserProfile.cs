using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.UserProfile;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's declarative user profile (<c>GET /users/profile</c>).</summary>
    public Task<UserProfileConfig> GetUserProfileAsync(string realm, CancellationToken cancellationToken = default) =>
        GetAsync<UserProfileConfig>(KeycloakPath.Realm(realm, "users", "profile").ToString(), cancellationToken);

    /// <summary>
    /// Replaces the whole user profile (<c>PUT /users/profile</c>); Keycloak refuses one without username or
    /// email. Retried on transient failures: a whole-document replace is repeatable.
    /// </summary>
    public Task UpdateUserProfileAsync(string realm, UserProfileConfig profile, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "users", "profile").ToString(), profile, retrySafe: true, cancellationToken);
}
