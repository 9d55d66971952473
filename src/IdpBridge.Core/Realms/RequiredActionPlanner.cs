using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.RequiredActions;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the realm's declared required actions (by alias), registering those Keycloak has not registered yet.</summary>
internal sealed class RequiredActionPlanner(KeycloakAdminClient keycloak)
{
    /// <summary>What a new realm will get: every declared required action, set as declared.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.RequiredActions.Select(action => new ResourceChange("required-action", Text(action, "alias"), ChangeKind.Update, JsonCompare.Declared(action, null, ignore: ServerIds)));

    /// <summary>Adds the changes the declared required actions need to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.RequiredActions.Count == 0)
        {
            return;
        }

        var live = (await keycloak.ListRequiredActionsAsync(config.RealmName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(action => action.Alias ?? "", ToJson, StringComparer.Ordinal);
        foreach (var declared in config.RequiredActions)
        {
            var alias = Text(declared, "alias");
            live.TryGetValue(alias, out var current);
            var fields = JsonCompare.Declared(declared, current, ignore: ServerIds);
            if (current is not null && fields.Count == 0)
            {
                continue;
            }

            // Keycloak's PUT replaces every field (an omitted primitive becomes false/0): send the live object with
            // the declared fields on top; an unregistered action is registered first.
            var registered = current is not null;
            var merged = Merge(current ?? new JsonObject { ["alias"] = alias, ["providerId"] = declared["providerId"]?.DeepClone() ?? alias }, declared);
            changes.Add(new ResourceChange("required-action", alias, registered ? ChangeKind.Update : ChangeKind.Create, fields)
            {
                Apply = async token =>
                {
                    if (!registered)
                    {
                        await keycloak.RegisterRequiredActionAsync(
                            config.RealmName, Text(merged, "providerId"), merged["name"]?.GetValue<string>() ?? alias, token).ConfigureAwait(false);
                        var fresh = await keycloak.FindRequiredActionAsync(config.RealmName, alias, token).ConfigureAwait(false);
                        merged = Merge(ToJson(fresh!), declared);
                    }

                    await keycloak.UpdateRequiredActionAsync(config.RealmName, alias, FromJson<RequiredActionProviderRepresentation>(merged), token).ConfigureAwait(false);
                },
            });
        }
    }
}
