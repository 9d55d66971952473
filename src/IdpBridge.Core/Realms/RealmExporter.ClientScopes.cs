using System.Text.Json.Nodes;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

public sealed partial class RealmExporter
{
    /// <summary>
    /// Every client scope with its protocol mappers (what a realm puts in tokens is its configuration: the built-in
    /// scopes too), by name, ids left out; and the realm's default and optional client scopes, sorted.
    /// </summary>
    private async Task ExportClientScopesAsync(string realm, JsonObject document, CancellationToken cancellationToken)
    {
        var scopes = new JsonArray();
        foreach (var scope in (await keycloak.ListClientScopesAsync(realm, cancellationToken).ConfigureAwait(false)).OrderBy(scope => scope.Name, StringComparer.Ordinal))
        {
            var node = ToJson(scope);
            node.Remove("id");
            if (node["protocolMappers"] is JsonArray mappers)
            {
                node["protocolMappers"] = new JsonArray(mappers.OfType<JsonObject>()
                    .OrderBy(mapper => mapper["name"]?.GetValue<string>(), StringComparer.Ordinal)
                    .Select(mapper =>
                    {
                        var copy = mapper.DeepClone().AsObject();
                        copy.Remove("id");
                        return (JsonNode?)copy;
                    }).ToArray());
            }

            scopes.Add((JsonNode)node);
        }

        document["clientScopes"] = scopes;
        foreach (var (field, kind) in new[] { (ClientScopeLinks.RealmFields.Default, ClientScopeKind.Default), (ClientScopeLinks.RealmFields.Optional, ClientScopeKind.Optional) })
        {
            var names = (await keycloak.ListRealmDefaultClientScopesAsync(realm, kind, cancellationToken).ConfigureAwait(false))
                .Select(scope => scope.Name ?? "").Order(StringComparer.Ordinal);
            document[field] = new JsonArray(names.Select(name => (JsonNode?)name).ToArray());
        }
    }
}
