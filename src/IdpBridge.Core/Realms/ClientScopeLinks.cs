using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Changes which client scopes are linked to an existing client, or are the realm's defaults for new clients. Neither
/// the client PUT nor the realm PUT changes them: each link is made with its own PUT and removed with its own DELETE,
/// and a scope linked as one kind must be unlinked before it can be linked as the other (the realm's endpoints answer
/// 409 otherwise).
/// </summary>
internal sealed class ClientScopeLinks(KeycloakAdminClient keycloak)
{
    /// <summary>A client's fields: its default and optional scopes.</summary>
    public static readonly (string Default, string Optional) ClientFields = ("defaultClientScopes", "optionalClientScopes");

    /// <summary>The realm's fields (<c>RealmRepresentation</c>): the default and optional scopes every new client gets.</summary>
    public static readonly (string Default, string Optional) RealmFields = ("defaultDefaultClientScopes", "defaultOptionalClientScopes");

    /// <summary>The declared client fields this class changes (the client PUT does not).</summary>
    public static IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { ClientFields.Default, ClientFields.Optional };

    /// <summary>Links and unlinks scopes of client <paramref name="clientUuid"/> until the declared kinds hold exactly the declared scopes.</summary>
    public Task ApplyAsync(string realm, string clientUuid, JsonObject declared, JsonObject live, CancellationToken cancellationToken) =>
        ApplyAsync(
            realm, ClientFields, declared, live,
            (kind, id, token) => keycloak.AddClientScopeAsync(realm, clientUuid, kind, id, token),
            (kind, id, token) => keycloak.RemoveClientScopeAsync(realm, clientUuid, kind, id, token),
            cancellationToken);

    /// <summary>Adds and removes the realm's default scopes until the declared kinds hold exactly the declared scopes.</summary>
    public Task ApplyToRealmAsync(string realm, JsonObject declared, JsonObject live, CancellationToken cancellationToken) =>
        ApplyAsync(
            realm, RealmFields, declared, live,
            (kind, id, token) => keycloak.AddRealmDefaultClientScopeAsync(realm, kind, id, token),
            (kind, id, token) => keycloak.RemoveRealmDefaultClientScopeAsync(realm, kind, id, token),
            cancellationToken);

    private async Task ApplyAsync(
        string realm,
        (string Default, string Optional) fields,
        JsonObject declared,
        JsonObject live,
        Func<ClientScopeKind, string, CancellationToken, Task> link,
        Func<ClientScopeKind, string, CancellationToken, Task> unlink,
        CancellationToken cancellationToken)
    {
        (string Field, ClientScopeKind Kind)[] kinds = [(fields.Default, ClientScopeKind.Default), (fields.Optional, ClientScopeKind.Optional)];
        var linked = kinds.ToDictionary(kind => kind.Kind, kind => Names(live[kind.Field]));
        var remove = new List<(ClientScopeKind Kind, string Name)>();
        var add = new List<(ClientScopeKind Kind, string Name)>();
        foreach (var (field, kind) in kinds)
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
            await unlink(kind, Id(ids, name), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (kind, name) in add)
        {
            await link(kind, Id(ids, name), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Id(Dictionary<string, string> ids, string name) =>
        ids.TryGetValue(name, out var id)
            ? id
            : throw new KeycloakException("GET", "client-scopes", null, $"the realm has no client scope '{name}'", null);

    private static SortedSet<string> Names(JsonNode? node) =>
        new((node as JsonArray ?? []).Select(item => item?.GetValue<string>() ?? ""), StringComparer.Ordinal);
}
