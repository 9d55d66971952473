using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.IdentityProviders;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realm's identity providers; client secrets come masked.</summary>
    public async Task<IReadOnlyList<IdentityProviderRepresentation>> ListIdentityProvidersAsync(
        string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<IdentityProviderRepresentation>>(
            KeycloakPath.Realm(realm, "identity-provider", "instances").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>One identity provider by alias; null when absent.</summary>
    public Task<IdentityProviderRepresentation?> FindIdentityProviderAsync(
        string realm, string alias, CancellationToken cancellationToken = default) =>
        FindAsync<IdentityProviderRepresentation>(
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias).ToString(), cancellationToken);

    /// <summary>Creates an identity provider; 409 when the alias exists. Not retried.</summary>
    public Task<string> CreateIdentityProviderAsync(
        string realm, IdentityProviderRepresentation provider, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "identity-provider", "instances").ToString(), provider, cancellationToken);

    /// <summary>
    /// Replaces an identity provider. Send <see cref="IdentityProviderRepresentation.MaskedSecret"/> as
    /// <c>config.clientSecret</c> to keep the stored secret. Retried on transient failures.
    /// </summary>
    public Task UpdateIdentityProviderAsync(
        string realm, string alias, IdentityProviderRepresentation provider, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Put,
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias).ToString(),
            provider,
            retrySafe: true,
            cancellationToken);

    /// <summary>Deletes an identity provider, and with it every user's link to it. Not retried.</summary>
    public Task DeleteIdentityProviderAsync(string realm, string alias, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Delete, KeycloakPath.Realm(realm, "identity-provider", "instances", alias).ToString(), retrySafe: false, cancellationToken);

    /// <summary>The mappers of one identity provider.</summary>
    public async Task<IReadOnlyList<IdentityProviderMapperRepresentation>> ListIdentityProviderMappersAsync(
        string realm, string alias, CancellationToken cancellationToken = default) =>
        await GetAsync<List<IdentityProviderMapperRepresentation>>(
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias, "mappers").ToString(), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>One mapper by id; null when absent.</summary>
    public Task<IdentityProviderMapperRepresentation?> FindIdentityProviderMapperAsync(
        string realm, string alias, string mapperId, CancellationToken cancellationToken = default) =>
        FindAsync<IdentityProviderMapperRepresentation>(
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias, "mappers", mapperId).ToString(), cancellationToken);

    /// <summary>Creates a mapper and returns its id (Keycloak answers 201 with Location). Not retried.</summary>
    public Task<string> CreateIdentityProviderMapperAsync(
        string realm, string alias, IdentityProviderMapperRepresentation mapper, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "identity-provider", "instances", alias, "mappers").ToString(), mapper, cancellationToken);

    /// <summary>Replaces a mapper. Retried on transient failures.</summary>
    public Task UpdateIdentityProviderMapperAsync(
        string realm,
        string alias,
        string mapperId,
        IdentityProviderMapperRepresentation mapper,
        CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Put,
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias, "mappers", mapperId).ToString(),
            mapper,
            retrySafe: true,
            cancellationToken);

    /// <summary>Deletes a mapper. Not retried.</summary>
    public Task DeleteIdentityProviderMapperAsync(
        string realm, string alias, string mapperId, CancellationToken cancellationToken = default) =>
        WriteAsync(
            HttpMethod.Delete,
            KeycloakPath.Realm(realm, "identity-provider", "instances", alias, "mappers", mapperId).ToString(),
            retrySafe: false,
            cancellationToken);
}
