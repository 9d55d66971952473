using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans the realm's declared client scopes (by name) and their declared protocol mappers (by scope and mapper name).
/// Undeclared scopes and mappers are left alone. One list of the live scopes (which carries their mappers) serves the
/// plan, the reference check and the realm's default scopes.
/// </summary>
internal sealed class ClientScopePlanner(KeycloakAdminClient keycloak)
{
    private const string MappersKey = "protocolMappers";

    private static readonly IReadOnlySet<string> NotCompared = new HashSet<string>(StringComparer.Ordinal) { "id", MappersKey };

    /// <summary>The realm's client scopes by name, whole (attributes and mappers).</summary>
    public async Task<Dictionary<string, JsonObject>> ListLiveAsync(string realm, CancellationToken cancellationToken) =>
        (await keycloak.ListClientScopesAsync(realm, cancellationToken).ConfigureAwait(false))
            .ToDictionary(scope => scope.Name ?? "", ToJson, StringComparer.Ordinal);

    /// <summary>What a new realm will get: every declared scope and mapper, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.ClientScopes.SelectMany(scope => (IEnumerable<ResourceChange>)
        [
            new ResourceChange("client-scope", Text(scope, "name"), ChangeKind.Create, JsonCompare.Declared(Without(scope, NotCompared), null)),
            .. Mappers(scope).Select(mapper => new ResourceChange(
                "client-scope-mapper", MapperName(scope, mapper), ChangeKind.Create, JsonCompare.Declared(Without(mapper, ServerIds), null))),
        ]);

    /// <summary>Adds the changes the declared scopes and mappers need to <paramref name="changes"/>.</summary>
    public void Plan(RealmConfig config, Dictionary<string, JsonObject> live, List<ResourceChange> changes)
    {
        var realm = config.RealmName;
        foreach (var declared in config.ClientScopes)
        {
            var name = Text(declared, "name");
            var wanted = Without(declared, NotCompared);
            live.TryGetValue(name, out var current);
            if (current is null)
            {
                changes.Add(new ResourceChange("client-scope", name, ChangeKind.Create, JsonCompare.Declared(wanted, null))
                {
                    Apply = token => keycloak.CreateClientScopeAsync(realm, FromJson<ClientScopeRepresentation>(wanted), token),
                });
            }
            else if (JsonCompare.Declared(wanted, current) is { Count: > 0 } fields)
            {
                var merged = Merge(Without(current, NotCompared), wanted);
                var id = Text(current, "id");
                changes.Add(new ResourceChange("client-scope", name, ChangeKind.Update, fields)
                {
                    Apply = token => keycloak.UpdateClientScopeAsync(realm, id, FromJson<ClientScopeRepresentation>(merged), token),
                });
            }

            var liveMappers = Mappers(current).ToDictionary(mapper => Text(mapper, "name"), StringComparer.Ordinal);
            foreach (var mapper in Mappers(declared))
            {
                PlanMapper(realm, declared, mapper, liveMappers.GetValueOrDefault(Text(mapper, "name")), changes);
            }
        }
    }

    private void PlanMapper(string realm, JsonObject scope, JsonObject declared, JsonObject? live, List<ResourceChange> changes)
    {
        var scopeName = Text(scope, "name");
        var wanted = Without(declared, ServerIds);
        if (live is null)
        {
            changes.Add(new ResourceChange("client-scope-mapper", MapperName(scope, declared), ChangeKind.Create, JsonCompare.Declared(wanted, null))
            {
                // The scope may be created by this apply: its id is looked up now.
                Apply = async token => await keycloak.CreateClientScopeMapperAsync(
                    realm, await ScopeIdAsync(realm, scopeName, token).ConfigureAwait(false), FromJson<ProtocolMapperRepresentation>(wanted), token).ConfigureAwait(false),
            });
            return;
        }

        var fields = JsonCompare.Declared(wanted, live, ignore: ServerIds);
        if (fields.Count == 0)
        {
            return;
        }

        // The PUT replaces the whole mapper, config included: the live mapper with the declared fields laid over it.
        var merged = Merge(live, wanted);
        var mapperId = Text(live, "id");
        changes.Add(new ResourceChange("client-scope-mapper", MapperName(scope, declared), ChangeKind.Update, fields)
        {
            Apply = async token => await keycloak.UpdateClientScopeMapperAsync(
                realm, await ScopeIdAsync(realm, scopeName, token).ConfigureAwait(false), mapperId, FromJson<ProtocolMapperRepresentation>(merged), token).ConfigureAwait(false),
        });
    }

    private async Task<string> ScopeIdAsync(string realm, string name, CancellationToken cancellationToken) =>
        (await keycloak.ListClientScopesAsync(realm, cancellationToken).ConfigureAwait(false)).FirstOrDefault(scope => scope.Name == name)?.Id
        ?? throw new KeycloakException("GET", "client-scopes", null, $"the realm has no client scope '{name}'", null);

    private static IEnumerable<JsonObject> Mappers(JsonObject? scope) => (scope?[MappersKey] as JsonArray ?? []).OfType<JsonObject>();

    private static string MapperName(JsonObject scope, JsonObject mapper) => $"{Text(scope, "name")}/{Text(mapper, "name")}";
}
