using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.IdentityProviders;

namespace IdpBridge.Core.Audit;

/// <summary>Reads a <see cref="RealmSnapshot"/> from the Admin API: one request per collection, one per identity provider.</summary>
internal static class RealmSnapshotReader
{
    public static async Task<RealmSnapshot> ReadAsync(KeycloakAdminClient keycloak, string realm, CancellationToken cancellationToken)
    {
        var live = await keycloak.FindRealmAsync(realm, cancellationToken).ConfigureAwait(false) ?? throw new RealmNotFoundException(realm);
        var profile = await keycloak.GetUserProfileAsync(realm, cancellationToken).ConfigureAwait(false);
        var events = await keycloak.GetEventsConfigAsync(realm, cancellationToken).ConfigureAwait(false);
        var providers = new List<IdentityProviderRepresentation>();
        var mappers = new List<IdentityProviderMapperRepresentation>();
        foreach (var listed in await keycloak.ListIdentityProvidersAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            // List items may be brief (26.7.3): each provider is read whole by alias.
            if (listed.Alias is not { } alias
                || await keycloak.FindIdentityProviderAsync(realm, alias, cancellationToken).ConfigureAwait(false) is not { } provider)
            {
                continue;
            }

            providers.Add(provider);
            mappers.AddRange((await keycloak.ListIdentityProviderMappersAsync(realm, alias, cancellationToken).ConfigureAwait(false))
                .Select(mapper => mapper with { IdentityProviderAlias = mapper.IdentityProviderAlias ?? alias }));
        }

        return new RealmSnapshot
        {
            Realm = live,
            UserProfile = profile,
            Events = events,
            IdentityProviders = providers,
            IdentityProviderMappers = mappers,
            Clients = await keycloak.ListClientsAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false),
            ClientScopes = await keycloak.ListClientScopesAsync(realm, cancellationToken).ConfigureAwait(false),
            DefaultDefaultClientScopes = await ScopeNamesAsync(keycloak, realm, ClientScopeKind.Default, cancellationToken).ConfigureAwait(false),
            DefaultOptionalClientScopes = await ScopeNamesAsync(keycloak, realm, ClientScopeKind.Optional, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IReadOnlyList<string>> ScopeNamesAsync(
        KeycloakAdminClient keycloak, string realm, ClientScopeKind kind, CancellationToken cancellationToken) =>
        [.. (await keycloak.ListRealmDefaultClientScopesAsync(realm, kind, cancellationToken).ConfigureAwait(false))
            .Select(scope => scope.Name).OfType<string>()];
}
