using System.Text.Json.Nodes;

namespace IdpBridge.Cli.Realms;

/// <summary>
/// What <c>realm export -f</c> keeps from the config file it replaces (only with <c>--force</c>): every
/// <c>${env:NAME}</c> reference, where the export has the value Keycloak holds (or its mask for a secret), and
/// IdpBridge's own <c>x-idpbridge</c> settings, which Keycloak never holds. List items are matched by their identity
/// (alias, clientId, name, serviceAccountClientId), as the planner matches them.
/// </summary>
internal static class ExportOverExisting
{
    private const string OwnSettings = "x-idpbridge";

    private static readonly string[] IdentityKeys = ["alias", "clientId", "serviceAccountClientId", "name", "identityProviderAlias"];

    /// <summary>Carries the references and own settings of <paramref name="existing"/> into <paramref name="exported"/>.</summary>
    public static void Keep(JsonObject exported, JsonObject existing)
    {
        ArgumentNullException.ThrowIfNull(exported);
        ArgumentNullException.ThrowIfNull(existing);
        if (existing[OwnSettings] is { } own)
        {
            exported[OwnSettings] = own.DeepClone();
        }

        KeepReferences(exported, existing);
    }

    private static void KeepReferences(JsonNode exported, JsonNode existing)
    {
        switch (exported, existing)
        {
            case (JsonObject target, JsonObject source):
                foreach (var (key, value) in source)
                {
                    if (IsReference(value) && target.ContainsKey(key))
                    {
                        target[key] = value!.DeepClone();
                    }
                    else if (value is not null && target[key] is { } counterpart)
                    {
                        KeepReferences(counterpart, value);
                    }
                }

                break;
            case (JsonArray target, JsonArray source):
                foreach (var item in source.OfType<JsonObject>())
                {
                    if (Identity(item) is { } identity && target.OfType<JsonObject>().FirstOrDefault(candidate => Identity(candidate) == identity) is { } match)
                    {
                        KeepReferences(match, item);
                    }
                }

                break;
        }
    }

    private static bool IsReference(JsonNode? value) =>
        value is JsonValue text && text.TryGetValue<string>(out var content) && content.Contains("${env:", StringComparison.Ordinal);

    /// <summary>Every identity key the item has, joined (a mapper is its provider's alias and its name); null without any.</summary>
    private static string? Identity(JsonObject item)
    {
        var parts = IdentityKeys
            .Select(key => item[key] is JsonValue value && value.TryGetValue<string>(out var text) ? $"{key}={text}" : null)
            .OfType<string>()
            .ToList();
        return parts.Count > 0 ? string.Join("|", parts) : null;
    }
}
