using System.Text.Json.Nodes;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the realm's localization texts, one resource per locale, sending only the texts that differ.</summary>
internal sealed class LocalizationPlanner(KeycloakAdminClient keycloak)
{
    /// <summary>What a new realm will get: every declared locale's texts, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.LocalizationTexts.Select(locale => new ResourceChange(
            "localization", locale.Key, ChangeKind.Create, locale.Value.Select(text => new FieldChange(text.Key, null, text.Value)).ToList()));

    /// <summary>Adds the changes the declared texts need to <paramref name="changes"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        foreach (var (locale, texts) in config.LocalizationTexts)
        {
            var live = await keycloak.GetLocalizationTextsAsync(config.RealmName, locale, cancellationToken).ConfigureAwait(false);
            var changed = texts.Where(text => !live.TryGetValue(text.Key, out var current) || current != text.Value)
                .ToDictionary(text => text.Key, text => text.Value, StringComparer.Ordinal);
            if (changed.Count == 0)
            {
                continue;
            }

            var fields = changed.Select(text => new FieldChange(
                text.Key, live.TryGetValue(text.Key, out var before) ? JsonValue.Create(before) : null, JsonValue.Create(text.Value))).ToList();
            changes.Add(new ResourceChange("localization", locale, live.Count == 0 ? ChangeKind.Create : ChangeKind.Update, fields)
            {
                Apply = token => keycloak.SetLocalizationTextsAsync(config.RealmName, locale, changed, token),
            });
        }
    }
}
