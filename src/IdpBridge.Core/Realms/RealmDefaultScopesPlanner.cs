using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans the realm's default client scopes (<c>defaultDefaultClientScopes</c>, <c>defaultOptionalClientScopes</c>), the
/// scopes every client created from now on gets. Each declared list is the exact set; a list not declared is left alone.
/// The realm GET does not carry them: they are read from their own endpoints.
/// </summary>
internal sealed class RealmDefaultScopesPlanner(KeycloakAdminClient keycloak)
{
    private const string ResourceType = "realm-default-client-scopes";

    private static readonly IReadOnlySet<string> Sets = new HashSet<string>(StringComparer.Ordinal)
    {
        ClientScopeLinks.RealmFields.Default, ClientScopeLinks.RealmFields.Optional,
    };

    private readonly ClientScopeLinks links = new(keycloak);

    /// <summary>What a new realm will get: the declared lists.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.DefaultClientScopes.Count == 0
            ? []
            : [new ResourceChange(ResourceType, config.RealmName, ChangeKind.Update, JsonCompare.Declared(config.DefaultClientScopes, null))];

    /// <summary>Adds the change the declared lists need, if any, to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        var declared = config.DefaultClientScopes;
        if (declared.Count == 0)
        {
            return;
        }

        var realm = config.RealmName;
        var live = new JsonObject();
        foreach (var (field, kind) in new[] { (ClientScopeLinks.RealmFields.Default, ClientScopeKind.Default), (ClientScopeLinks.RealmFields.Optional, ClientScopeKind.Optional) })
        {
            if (declared.ContainsKey(field))
            {
                var scopes = await keycloak.ListRealmDefaultClientScopesAsync(realm, kind, cancellationToken).ConfigureAwait(false);
                live[field] = new JsonArray(scopes.Select(scope => (JsonNode?)JsonValue.Create(scope.Name ?? "")).ToArray());
            }
        }

        var fields = JsonCompare.Declared(declared, live, sets: Sets);
        if (fields.Count > 0)
        {
            changes.Add(new ResourceChange(ResourceType, realm, ChangeKind.Update, fields)
            {
                Apply = token => links.ApplyToRealmAsync(realm, declared, live, token),
            });
        }
    }
}
