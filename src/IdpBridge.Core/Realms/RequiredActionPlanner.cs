using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.RequiredActions;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans the realm's declared required actions (by alias), registering those Keycloak has installed but the realm has
/// not registered yet (IdpBridge's bridge, <see cref="TermsSteps.Bridge"/>, is one), and refusing at plan time those
/// Keycloak does not have at all.
/// </summary>
internal sealed class RequiredActionPlanner(KeycloakAdminClient keycloak)
{
    /// <summary>The note on a change that registers a provider before configuring it.</summary>
    public const string RegisterNote = "register: installed in Keycloak, not yet registered in the realm";

    /// <summary>
    /// What a new realm will get: every declared required action, set as declared, but the bridge declared disabled
    /// (a new realm does not register it, so it stays as declared).
    /// </summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.RequiredActions
            .Where(action => Text(action, "alias") != TermsSteps.Bridge || !IsDisabled(action))
            .Select(action => new ResourceChange("required-action", Text(action, "alias"), ChangeKind.Update, JsonCompare.Declared(action, null, ignore: ServerIds)));

    /// <summary>Adds the changes the declared required actions need to <paramref name="changes"/>.</summary>
    /// <exception cref="RealmConfigException">A declared action's provider is not installed in Keycloak.</exception>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.RequiredActions.Count == 0)
        {
            return;
        }

        var live = (await keycloak.ListRequiredActionsAsync(config.RealmName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(action => action.Alias ?? "", ToJson, StringComparer.Ordinal);
        HashSet<string>? installed = null;
        var missing = new List<RealmConfigDiagnostic>();
        for (var index = 0; index < config.RequiredActions.Count; index++)
        {
            var declared = config.RequiredActions[index];
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
            if (!registered)
            {
                // Not registered asks nobody anything: an action declared disabled is already as declared (so an Admin
                // API mode file turns the bridge off where it ran, and still suits a Keycloak that lacks it).
                if (IsDisabled(declared))
                {
                    continue;
                }

                installed ??= (await keycloak.ListUnregisteredRequiredActionsAsync(config.RealmName, cancellationToken).ConfigureAwait(false))
                    .Select(provider => provider.ProviderId ?? "").ToHashSet(StringComparer.Ordinal);
                var providerId = Text(merged, "providerId");
                if (!installed.Contains(providerId))
                {
                    missing.Add(NotInstalled(config, index, declared, providerId));
                    continue;
                }
            }

            changes.Add(new ResourceChange("required-action", alias, registered ? ChangeKind.Update : ChangeKind.Create, fields)
            {
                Note = registered ? null : RegisterNote,
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

        if (missing.Count > 0)
        {
            throw new RealmConfigException(config.SourcePath, missing);
        }
    }

    private static bool IsDisabled(JsonObject action) => action["enabled"]?.GetValueKind() == System.Text.Json.JsonValueKind.False;

    private static RealmConfigDiagnostic NotInstalled(RealmConfig config, int index, JsonObject declared, string providerId)
    {
        // The loader keeps every object of the list, in file order: the index is the file's.
        var path = JsonPaths.Property(JsonPaths.Index(JsonPaths.Property(JsonPaths.Root, "requiredActions"), index), declared.ContainsKey("providerId") ? "providerId" : "alias");
        var what = providerId == TermsSteps.Bridge
            ? $"IdpBridge's terms bridge is not installed in this Keycloak: {TermsSteps.InstallBridge}"
            : "install the provider's jar in Keycloak's providers/ folder and restart Keycloak";
        return new RealmConfigDiagnostic(
            config.SourcePath, path, null, null,
            $"Keycloak has no required-action provider '{providerId}' (realm '{config.RealmName}' neither has it registered nor lists it as installed): {what}");
    }
}
