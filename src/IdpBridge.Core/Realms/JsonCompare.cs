using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Compares what a file declares with what Keycloak holds: only declared keys count, objects are compared key by
/// key (recursively), arrays and scalars as wholes, numbers by value, and the arrays Keycloak stores as sets
/// (<see cref="SetValuedFields"/>) whatever their order.
/// </summary>
internal static class JsonCompare
{
    /// <summary>
    /// The declared fields of <paramref name="declared"/> that differ in <paramref name="live"/>. Arrays at one of
    /// <paramref name="sets"/> (paths as in <see cref="FieldChange.Path"/>) are compared as sets.
    /// </summary>
    public static List<FieldChange> Declared(
        JsonObject declared, JsonObject? live, string prefix = "", IReadOnlySet<string>? ignore = null, IReadOnlySet<string>? sets = null)
    {
        var changes = new List<FieldChange>();
        Walk(declared, live, prefix, ignore, sets, changes);
        return changes;
    }

    /// <summary>Deep equality where object key order does not matter and 1 equals 1.0.</summary>
    public static bool Same(JsonNode? left, JsonNode? right) => (left, right) switch
    {
        (null, null) => true,
        (JsonObject a, JsonObject b) => a.Count == b.Count && a.All(pair => b.TryGetPropertyValue(pair.Key, out var other) && Same(pair.Value, other)),
        (JsonArray a, JsonArray b) => a.Count == b.Count && a.Zip(b).All(pair => Same(pair.First, pair.Second)),
        (JsonValue a, JsonValue b) when a.GetValueKind() == System.Text.Json.JsonValueKind.Number
                                      && b.GetValueKind() == System.Text.Json.JsonValueKind.Number
            => decimal.Parse(a.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
               == decimal.Parse(b.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        (JsonValue a, JsonValue b) => JsonNode.DeepEquals(a, b),
        _ => false,
    };

    private static bool SameSet(string path, JsonNode? declared, JsonNode? live, IReadOnlySet<string>? sets) =>
        sets?.Contains(path) == true && declared is JsonArray wanted && live is JsonArray held && SetValuedFields.SameSet(wanted, held);

    /// <summary>Keycloak leaves an empty set out of some answers (a realm without <c>supportedLocales</c>): absent is empty.</summary>
    private static bool EmptySet(string path, JsonNode? declared, IReadOnlySet<string>? sets) =>
        sets?.Contains(path) == true && declared is JsonArray { Count: 0 };

    private static void Walk(
        JsonObject declared, JsonObject? live, string prefix, IReadOnlySet<string>? ignore, IReadOnlySet<string>? sets, List<FieldChange> changes)
    {
        foreach (var (key, value) in declared)
        {
            if (ignore?.Contains(key) == true)
            {
                continue;
            }

            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            JsonNode? current = null;
            var present = live is not null && live.TryGetPropertyValue(key, out current);
            if (value is JsonObject nested && (current is JsonObject || !present))
            {
                Walk(nested, current as JsonObject, path, null, sets, changes);
                continue;
            }

            if (present ? Same(value, current) || SameSet(path, value, current, sets) : EmptySet(path, value, sets))
            {
                continue;
            }

            var sensitive = RealmConfigSchema.IsSecretField(key);
            changes.Add(new FieldChange(
                path,
                sensitive ? null : current?.DeepClone(),
                sensitive ? null : value?.DeepClone(),
                sensitive));
        }
    }
}
