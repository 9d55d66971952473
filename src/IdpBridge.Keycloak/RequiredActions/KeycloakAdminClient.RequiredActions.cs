using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.RequiredActions;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's registered required actions, by priority.</summary>
    public async Task<IReadOnlyList<RequiredActionProviderRepresentation>> ListRequiredActionsAsync(
        string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<RequiredActionProviderRepresentation>>(
            KeycloakPath.Realm(realm, "authentication", "required-actions").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The required-action providers Keycloak has installed (its own and those of jars in <c>providers/</c>) that the
    /// realm has not registered. A provider in neither this list nor <see cref="ListRequiredActionsAsync"/> is not installed.
    /// </summary>
    public async Task<IReadOnlyList<UnregisteredRequiredAction>> ListUnregisteredRequiredActionsAsync(
        string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<UnregisteredRequiredAction>>(
            KeycloakPath.Realm(realm, "authentication", "unregistered-required-actions").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>One required action by alias; null when it is not registered in the realm.</summary>
    public Task<RequiredActionProviderRepresentation?> FindRequiredActionAsync(
        string realm, string alias, CancellationToken cancellationToken = default) =>
        FindAsync<RequiredActionProviderRepresentation>(
            KeycloakPath.Realm(realm, "authentication", "required-actions", alias).ToString(), cancellationToken);

    /// <summary>
    /// Replaces every field of a required action (an omitted <c>enabled</c>, <c>defaultAction</c> or <c>priority</c>
    /// becomes false/0 on the server): send the whole object as read, with your change. Retried on transient failures.
    /// </summary>
    public Task UpdateRequiredActionAsync(
        string realm, string alias, RequiredActionProviderRepresentation action, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Put,
            KeycloakPath.Realm(realm, "authentication", "required-actions", alias).ToString(),
            action,
            retrySafe: true,
            cancellationToken);

    /// <summary>Registers a required action provider in the realm (<c>POST .../register-required-action</c>). Not retried.</summary>
    public Task RegisterRequiredActionAsync(
        string realm, string providerId, string name, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Post,
            KeycloakPath.Realm(realm, "authentication", "register-required-action").ToString(),
            new RequiredActionRegistration(providerId, name),
            retrySafe: false,
            cancellationToken);

    internal sealed record RequiredActionRegistration(string ProviderId, string Name);
}
