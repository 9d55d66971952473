using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// The order in which Keycloak answers a field it stores as a set: a <c>java.util.HashSet</c> (or a map keyed by
/// name), whose iteration walks its buckets in index order. Values in the same bucket keep the order they were
/// loaded in: for plain string sets that is value order (the set table's key); client scopes are loaded by scope id,
/// which the simulator does not model, so there it keeps the order they were given. So
/// the simulator answers a set as the server does, never in the order it was sent: a client that compares sets
/// by order sees a change after every write, as it would against Keycloak (26.7.3 reads <c>["es","en"]</c> back as
/// <c>["en","es"]</c>).
/// </summary>
internal static class JavaSetOrder
{
    /// <summary>Realm settings Keycloak keeps as sets.</summary>
    public static readonly string[] RealmFields = ["supportedLocales", "enabledEventTypes", "eventsListeners"];

    /// <summary>Client fields Keycloak keeps as sets.</summary>
    public static readonly string[] ClientFields = ["redirectUris", "webOrigins", "defaultClientScopes", "optionalClientScopes"];

    private static readonly string[] LoadedById = ["defaultClientScopes", "optionalClientScopes"];

    /// <summary>User-profile attribute fields Keycloak keeps as sets (object, then field).</summary>
    public static readonly (string Parent, string Field)[] UserProfileAttributeFields =
        [("permissions", "view"), ("permissions", "edit"), ("required", "roles"), ("required", "scopes"), ("selector", "scopes")];

    /// <summary>
    /// The distinct strings of <paramref name="values"/> in the order a Java hash set of them iterates, once loaded
    /// in value order (or, without <paramref name="loadedInValueOrder"/>, in the order given).
    /// </summary>
    public static List<string> Of(IEnumerable<string> values, bool loadedInValueOrder = true)
    {
        var distinct = values.Distinct(StringComparer.Ordinal);
        var loaded = (loadedInValueOrder ? distinct.Order(StringComparer.Ordinal) : distinct).ToList();

        // java.util.HashMap: 16 buckets, doubled whenever the count exceeds three quarters of them; a bucket keeps
        // its entries in insertion order (resizing splits buckets without reordering them).
        var buckets = 16;
        while (loaded.Count > buckets / 4 * 3)
        {
            buckets *= 2;
        }

        return loaded.Select((value, index) => (value, index, bucket: Spread(JavaHashCode(value)) & (buckets - 1)))
            .OrderBy(entry => entry.bucket)
            .ThenBy(entry => entry.index)
            .Select(entry => entry.value)
            .ToList();
    }

    /// <summary>The array of strings at <paramref name="node"/>, reordered as Keycloak answers it; other values as they are.</summary>
    public static JsonNode? Reorder(JsonNode? node, bool loadedInValueOrder = true) =>
        node is JsonArray array && array.All(item => item is JsonValue value && value.TryGetValue<string>(out _))
            ? SimJson.ToArray(Of(array.Select(item => item!.GetValue<string>()), loadedInValueOrder))
            : node?.DeepClone();

    /// <summary>Reorders each of <paramref name="fields"/> of <paramref name="node"/> that is present.</summary>
    public static void ReorderIn(JsonObject node, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            if (node[field] is JsonArray)
            {
                node[field] = Reorder(node[field], !LoadedById.Contains(field));
            }
        }
    }

    /// <summary><c>String.hashCode()</c>: the UTF-16 units folded by 31, in 32-bit arithmetic.</summary>
    private static int JavaHashCode(string value)
    {
        var hash = 0;
        foreach (var unit in value)
        {
            hash = unchecked((31 * hash) + unit);
        }

        return hash;
    }

    /// <summary><c>HashMap.hash</c>: the high half folded into the low one.</summary>
    private static int Spread(int hash) => hash ^ (int)((uint)hash >> 16);
}
