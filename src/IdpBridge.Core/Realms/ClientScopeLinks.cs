using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Changes which client scopes are linked to an existing client. Keycloak's client PUT ignores
/// <c>defaultClientScopes</c> and <c>optionalClientScopes</c>; each link is made with its own PUT and removed with its
/// own DELETE, and a scope linked as one kind must be unlinked before it can be linked as the other.
/// </summary>
internal sealed class ClientScopeLinks(KeycloakAdminClient keycloak)
{
    private static readonly (string Field, ClientScopeKind Kind)[] Kinds =
        [("defaultClientScopes", ClientScopeKind.Default), ("optionalClientScopes", ClientScopeKind.Optional)];

    /// <summary>The declared client fields this class changes (the client PUT does not).</summary>
    public static IReadOnlySet<string> Fields { get; } = Kinds.Select(kind => kind.Field).ToHashSet(StringComparer.Ordinal);

    /// <summary>Links and unlinks scopes of client <paramref name="clientUuid"/> until the declared kinds hold exactly the declared scopes.</summary>
    public async Task ApplyAsync(string realm, string clientUuid, JsonObject declared, JsonObject live, CancellationToken cancellationToken)
    {
        var linked = Kinds.ToDictionary(kind => kind.Kind, kind => Names(live[kind.Field]));
        var remove = new List<(ClientScopeKind Kind, string Name)>();
        var add = new List<(ClientScopeKind Kind, string Name)>();
        foreach (var (field, kind) in Kinds)
        {
            if (declared[field] is not JsonArray wantedArray)
            {
                continue;
            }

            var wanted = Names(wantedArray);
            remove.AddRange(linked[kind].Except(wanted).Select(name => (kind, name)));
            var other = kind == ClientScopeKind.Default ? ClientScopeKind.Optional : ClientScopeKind.Default;
            foreach (var name in wanted.Except(linked[kind]))
            {
                if (linked[other].Contains(name) && !remove.Contains((other, name)))
                {
                    remove.Add((other, name));
                }

                add.Add((kind, name));
            }
        }

        if (remove.Count == 0 && add.Count == 0)
        {
            return;
        }

        var ids = (await keycloak.ListClientScopesAsync(realm, cancellationToken).ConfigureAwait(false))
            .Where(scope => scope.Name is not null && scope.Id is not null)
            .ToDictionary(scope => scope.Name!, scope => scope.Id!, StringComparer.Ordinal);
        foreach (var (kind, name) in remove.Distinct())
        {
            await keycloak.RemoveClientScopeAsync(realm, clientUuid, kind, Id(ids, name), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (kind, name) in add)
        {
            await keycloak.AddClientScopeAsync(realm, clientUuid, kind, Id(ids, name), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Id(Dictionary<string, string> ids, string name) =>
        ids.TryGetValue(name, out var id)
            ? id
            : throw new KeycloakException("GET", "client-scopes", null, $"the realm has no client scope '{name}'", null);

    private static SortedSet<string> Names(JsonNode? node) =>
        new((node as JsonArray ?? []).Select(item => item?.GetValue<string>() ?? ""), StringComparer.Ordinal);
}
