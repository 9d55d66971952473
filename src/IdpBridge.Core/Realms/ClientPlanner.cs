using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans a realm's declared clients (by <c>clientId</c>) and the <c>realm-management</c> roles of their service accounts.</summary>
internal sealed class ClientPlanner(KeycloakAdminClient keycloak)
{
    private const string RealmManagement = "realm-management";

    private readonly ClientScopeLinks scopeLinks = new(keycloak);

    /// <summary>Adds the changes the declared clients and service-account roles need to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.Clients.Count == 0 && config.ServiceAccountRoles.Count == 0)
        {
            return;
        }

        var liveClients = (await keycloak.ListClientsAsync(config.RealmName, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(client => client.ClientId ?? "", ToJson, StringComparer.Ordinal);
        foreach (var declared in config.Clients)
        {
            PlanClient(config.RealmName, declared, liveClients.GetValueOrDefault(Text(declared, "clientId")), changes);
        }

        await PlanServiceAccountRolesAsync(config, liveClients, changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a new realm will get: every declared client and service account, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.Clients.Select(client => new ResourceChange("client", Text(client, "clientId"), ChangeKind.Create, JsonCompare.Declared(client, null, ignore: ServerIds)))
            .Concat(config.ServiceAccountRoles.Select(roles => new ResourceChange(
                "service-account-roles", roles.Key, ChangeKind.Create, roles.Value.Select(role => Granted(role, true)).ToList())));

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

    private async Task PlanServiceAccountRolesAsync(
        RealmConfig config, Dictionary<string, JsonObject> liveClients, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.ServiceAccountRoles.Count == 0)
        {
            return;
        }

        var realm = config.RealmName;
        var realmManagement = liveClients.TryGetValue(RealmManagement, out var management) ? Text(management, "id") : null;
        var roles = realmManagement is null
            ? []
            : await keycloak.ListClientRolesAsync(realm, realmManagement, cancellationToken).ConfigureAwait(false);
        foreach (var (clientId, wantedRoles) in config.ServiceAccountRoles)
        {
            var granted = new List<string>();
            if (liveClients.TryGetValue(clientId, out var client) && realmManagement is not null)
            {
                var user = await keycloak.GetServiceAccountUserAsync(realm, Text(client, "id"), cancellationToken).ConfigureAwait(false);
                granted = (await keycloak.ListUserClientRolesAsync(realm, user.Id!, realmManagement, cancellationToken).ConfigureAwait(false))
                    .Select(role => role.Name ?? "").ToList();
            }

            var add = wantedRoles.Except(granted, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var remove = granted.Except(wantedRoles, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (add.Count == 0 && remove.Count == 0)
            {
                continue;
            }

            var fields = add.Select(role => Granted(role, true)).Concat(remove.Select(role => Granted(role, false))).ToList();
            changes.Add(new ResourceChange("service-account-roles", clientId, client is null ? ChangeKind.Create : ChangeKind.Update, fields)
            {
                Apply = async token =>
                {
                    // The client may have been created by this apply: look everything up at apply time.
                    var clients = await keycloak.ListClientsAsync(realm, cancellationToken: token).ConfigureAwait(false);
                    var owner = clients.Single(candidate => candidate.ClientId == clientId);
                    var management = clients.Single(candidate => candidate.ClientId == RealmManagement);
                    var user = await keycloak.GetServiceAccountUserAsync(realm, owner.Id!, token).ConfigureAwait(false);
                    var available = roles.Count > 0 ? roles : await keycloak.ListClientRolesAsync(realm, management.Id!, token).ConfigureAwait(false);
                    if (add.Count > 0)
                    {
                        await keycloak.AddUserClientRolesAsync(realm, user.Id!, management.Id!, Pick(available, add), token).ConfigureAwait(false);
                    }

                    if (remove.Count > 0)
                    {
                        await keycloak.RemoveUserClientRolesAsync(realm, user.Id!, management.Id!, Pick(available, remove), token).ConfigureAwait(false);
                    }
                },
            });
        }
    }

    private static FieldChange Granted(string role, bool granted) =>
        granted
            ? new FieldChange($"{RealmManagement}.{role}", null, JsonValue.Create(true))
            : new FieldChange($"{RealmManagement}.{role}", JsonValue.Create(true), null);

    private static IReadOnlyList<RoleRepresentation> Pick(IReadOnlyList<RoleRepresentation> roles, List<string> names) =>
        names.Select(name => roles.FirstOrDefault(role => role.Name == name)
            ?? throw new KeycloakException("GET", RealmManagement, null, $"the {RealmManagement} client has no role '{name}'", null)).ToList();
}
