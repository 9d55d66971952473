using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;

using static IdpBridge.Core.Realms.PlanJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the <c>realm-management</c> roles of the declared clients' service accounts.</summary>
internal sealed class ServiceAccountRolePlanner(KeycloakAdminClient keycloak)
{
    private const string RealmManagement = "realm-management";

    /// <summary>What a new realm will get: every declared service account's roles, granted.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.ServiceAccountRoles.Select(roles => new ResourceChange(
            "service-account-roles", roles.Key, ChangeKind.Create, roles.Value.Select(role => Granted(role, true)).ToList()));

    /// <summary>Adds the role grants and revocations the declared service accounts need to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(
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
