using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans a realm's declared clients (by <c>clientId</c>), their settings and their client-scope links.</summary>
internal sealed class ClientPlanner(KeycloakAdminClient keycloak)
{
    private readonly ClientScopeLinks scopeLinks = new(keycloak);

    /// <summary>The realm's clients by <c>clientId</c>, as the client planner and the service-account planner compare them.</summary>
    public async Task<Dictionary<string, JsonObject>> ListLiveAsync(string realm, CancellationToken cancellationToken) =>
        (await keycloak.ListClientsAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(client => client.ClientId ?? "", ToJson, StringComparer.Ordinal);

    /// <summary>Adds the changes the declared clients need to <paramref name="changes"/>.</summary>
    public void Plan(RealmConfig config, Dictionary<string, JsonObject> liveClients, List<ResourceChange> changes)
    {
        foreach (var declared in config.Clients)
        {
            PlanClient(config.RealmName, declared, liveClients.GetValueOrDefault(Text(declared, "clientId")), changes);
        }
    }

    /// <summary>What a new realm will get: every declared client, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.Clients.Select(client => new ResourceChange("client", Text(client, "clientId"), ChangeKind.Create, JsonCompare.Declared(client, null, ignore: ServerIds)));

    private void PlanClient(string realm, JsonObject declared, JsonObject? current, List<ResourceChange> changes)
    {
        var clientId = Text(declared, "clientId");
        var wanted = WithoutMaskedSecret(declared, "secret");
        if (current is null)
        {
            var body = Without(wanted, ServerIds);
            changes.Add(new ResourceChange("client", clientId, ChangeKind.Create, JsonCompare.Declared(body, null))
            {
                Apply = token => keycloak.CreateClientAsync(realm, FromJson<ClientRepresentation>(body), token),
            });
            return;
        }

        var fields = JsonCompare.Declared(wanted, current, ignore: ServerIds, sets: SetValuedFields.Client);
        if (fields.Count == 0)
        {
            return;
        }

        var merged = Merge(current, Without(wanted, ServerIds));
        var id = Text(current, "id");
        var putNeeded = fields.Any(field => !ClientScopeLinks.Fields.Contains(field.Path));
        var scopesChanged = fields.Any(field => ClientScopeLinks.Fields.Contains(field.Path));
        changes.Add(new ResourceChange("client", clientId, ChangeKind.Update, fields)
        {
            Apply = async token =>
            {
                if (putNeeded)
                {
                    await keycloak.UpdateClientAsync(realm, id, FromJson<ClientRepresentation>(merged), token).ConfigureAwait(false);
                }

                if (scopesChanged)
                {
                    await scopeLinks.ApplyAsync(realm, id, wanted, current, token).ConfigureAwait(false);
                }
            },
        });
    }
}
