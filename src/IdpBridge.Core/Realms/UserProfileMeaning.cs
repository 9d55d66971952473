using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Compares two user profiles by meaning, not bytes: Keycloak normalises what it stores (adds
/// <c>multivalued:false</c>, drops empty maps, answers the role and scope sets in an order of its own), and neither key
/// order, such defaults nor the order within a set (<see cref="SetValuedFields.UserProfileAttribute"/>) are a change.
/// Attribute order is a change (it is the order of the registration form).
/// </summary>
internal static class UserProfileMeaning
{
    /// <summary>Attribute-level differences, as plan fields (<c>attributes.email</c>, <c>groups</c>, ...).</summary>
    public static List<FieldChange> Differences(JsonObject declared, JsonObject live)
    {
        var changes = new List<FieldChange>();
        var wanted = Attributes(declared);
        var current = Attributes(live);
        foreach (var (name, attribute) in wanted)
        {
            if (!current.TryGetValue(name, out var existing))
            {
                changes.Add(new FieldChange($"attributes.{name}", null, attribute));
            }
            else if (!JsonCompare.Same(attribute, existing))
            {
                changes.Add(new FieldChange($"attributes.{name}", existing, attribute));
            }
        }

        changes.AddRange(current.Keys.Where(name => !wanted.ContainsKey(name))
            .Select(name => new FieldChange($"attributes.{name}", current[name], null)));

        if (changes.Count == 0 && !wanted.Keys.SequenceEqual(current.Keys, StringComparer.Ordinal))
        {
            changes.Add(new FieldChange("attributes (order)", Order(current.Keys), Order(wanted.Keys)));
        }

        foreach (var key in new[] { "groups", "unmanagedAttributePolicy" })
        {
            var before = Normalise(live[key]);
            var after = Normalise(declared[key]);
            if (!JsonCompare.Same(before, after))
            {
                changes.Add(new FieldChange(key, before, after));
            }
        }

        return changes;
    }

    private static Dictionary<string, JsonNode?> Attributes(JsonObject profile)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var attribute in (profile["attributes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var normalised = (JsonObject)Normalise(attribute)!;
            SetValuedFields.SortIn(normalised, SetValuedFields.UserProfileAttribute);
            result[attribute["name"]?.GetValue<string>() ?? ""] = normalised;
        }

        return result;
    }

    /// <summary>Drops what Keycloak treats as absent: nulls, <c>multivalued:false</c>, empty objects and arrays.</summary>
    private static JsonNode? Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject source:
                var copy = new JsonObject();
                foreach (var (key, value) in source)
                {
                    var normalised = Normalise(value);
                    var isDefault = normalised is null
                        || (key == "multivalued" && normalised is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.False)
                        || normalised is JsonObject { Count: 0 } && key != "required"
                        || normalised is JsonArray { Count: 0 };
                    if (!isDefault)
                    {
                        copy[key] = normalised;
                    }
                }

                return copy;
            case JsonArray array:
                var items = array.Select(Normalise).ToArray();
                return items.Length == 0 ? null : new JsonArray(items);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonArray Order(IEnumerable<string> names) => new(names.Select(name => (JsonNode?)JsonValue.Create(name)).ToArray());
}
