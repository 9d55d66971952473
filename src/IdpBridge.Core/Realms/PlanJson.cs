using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak.IdentityProviders;

namespace IdpBridge.Core.Realms;

/// <summary>The JSON operations the planners share: server ids left out, masked secrets dropped, live objects merged.</summary>
internal static class PlanJson
{
    /// <summary>Ids Keycloak assigns; a file may carry them (an export does) but they are never compared or sent.</summary>
    public static readonly IReadOnlySet<string> ServerIds = new HashSet<string>(StringComparer.Ordinal) { "id", "internalId" };

    /// <summary>A copy of <paramref name="declared"/> without the value at <paramref name="path"/> when it is Keycloak's mask.</summary>
    public static JsonObject WithoutMaskedSecret(JsonObject declared, string path)
    {
        var copy = declared.DeepClone().AsObject();
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? copy : copy[parts[0]] as JsonObject;
        if (parent?[parts[^1]] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>() == IdentityProviderRepresentation.MaskedSecret)
        {
            // A pasted export or an `idpbridge realm export` carries the mask: it means "keep the stored secret".
            parent.Remove(parts[^1]);
        }

        return copy;
    }

    /// <summary>A copy of <paramref name="source"/> without <paramref name="keys"/>.</summary>
    public static JsonObject Without(JsonObject source, IReadOnlySet<string> keys)
    {
        var copy = source.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    /// <summary>The live object with the declared fields laid over it (objects merged key by key).</summary>
    public static JsonObject Merge(JsonObject live, JsonObject declared)
    {
        var merged = live.DeepClone().AsObject();
        foreach (var (key, value) in declared)
        {
            merged[key] = value is JsonObject nested && merged[key] is JsonObject current
                ? Merge(current, nested)
                : value?.DeepClone();
        }

        return merged;
    }

    /// <summary>A string field, or "" when absent.</summary>
    public static string Text(JsonObject node, string key) => node[key]?.GetValue<string>() ?? "";
}
