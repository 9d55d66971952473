using System.Globalization;
using System.Text.Json;

namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>
/// Checks a JSON value against a compiled schema: undeclared properties (recursively, through <c>$ref</c>,
/// <c>allOf</c>, arrays and maps), kinds, integer ranges and enums. <c>null</c> is accepted everywhere: Keycloak's
/// Jackson reads a null as "absent", and its responses omit nulls anyway.
/// </summary>
internal static class JsonShapeValidator
{
    /// <summary>
    /// Response properties the real 26.7.3 server sends that the newest document here (26.6.0) does not declare yet:
    /// the server is the reference, so the simulator answering them as it does is no breach.
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>> SentByNewerServers = new(StringComparer.Ordinal)
    {
        ["RealmRepresentation"] = new(StringComparer.Ordinal) { "webAuthnPolicyResidentKey", "webAuthnPolicyPasswordlessResidentKey" },
    };

    /// <summary>Adds one sentence fragment per problem, e.g. <c>property $.foo is not in UserRepresentation</c>.</summary>
    public static void Validate(JsonElement value, SchemaNode schema, string role, List<string> problems) =>
        Validate(value, schema, new JsonPath(), role, problems);

    private static void Validate(JsonElement value, SchemaNode schema, JsonPath path, string role, List<string> problems)
    {
        if (schema.IsAny || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (schema.AnyOf is not null && !MatchesOneAlternative(value, schema.AnyOf, path, role, problems))
        {
            return;
        }

        if (schema.AllOf is not null)
        {
            foreach (var member in schema.AllOf)
            {
                if (!KindMatches(value, member, path, role, problems))
                {
                    return;
                }
            }
        }

        if (!KindMatches(value, schema, path, role, problems))
        {
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(value, schema, path, role, problems);
                break;
            case JsonValueKind.Array:
                var items = ItemsOf(schema);
                if (items is not null && !items.IsAny)
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        path.PushIndex(index);
                        Validate(item, items, path, role, problems);
                        path.Pop();
                        index++;
                    }
                }

                break;
            default:
                break;
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public static string Describe(JsonKinds kinds)
    {
        if ((kinds & JsonKinds.Number) != 0)
        {
            kinds &= ~JsonKinds.Integer;
        }

        var names = new List<string>();
        foreach (var (flag, name) in KindNames)
        {
            if ((kinds & flag) != 0)
            {
                names.Add(name);
            }
        }

        return string.Join(" or ", names);
    }

    private static readonly (JsonKinds Flag, string Name)[] KindNames =
    [
        (JsonKinds.String, "string"),
        (JsonKinds.Integer, "integer"),
        (JsonKinds.Number, "number"),
        (JsonKinds.Boolean, "boolean"),
        (JsonKinds.Array, "array"),
        (JsonKinds.Object, "object"),
    ];

    private static void ValidateObject(JsonElement value, SchemaNode schema, JsonPath path, string role, List<string> problems)
    {
        SchemaNode? additional = null;
        var additionalResolved = false;
        foreach (var property in value.EnumerateObject())
        {
            if (schema.TryGetProperty(property.Name, out var declared))
            {
                path.PushName(property.Name);
                Validate(property.Value, declared, path, role, problems);
                path.Pop();
                continue;
            }

            if (!additionalResolved)
            {
                additional = schema.AdditionalValueSchema();
                additionalResolved = true;
            }

            path.PushName(property.Name);
            if (additional is null)
            {
                if (!(role == "response" && SentByNewerServers.TryGetValue(schema.DisplayName, out var newer) && newer.Contains(property.Name)))
                {
                    problems.Add($"{role} property {path} is not in {schema.DisplayName}");
                }
            }
            else
            {
                Validate(property.Value, additional, path, role, problems);
            }

            path.Pop();
        }
    }

    private static SchemaNode? ItemsOf(SchemaNode schema)
    {
        if (schema.Items is not null)
        {
            return schema.Items;
        }

        if (schema.AllOf is not null)
        {
            foreach (var member in schema.AllOf)
            {
                var items = ItemsOf(member);
                if (items is not null)
                {
                    return items;
                }
            }
        }

        return null;
    }

    private static bool KindMatches(JsonElement value, SchemaNode schema, JsonPath path, string role, List<string> problems)
    {
        var kinds = schema.Kinds;
        if (kinds == JsonKinds.None)
        {
            return EnumMatches(value, schema, path, role, problems);
        }

        var ok = value.ValueKind switch
        {
            JsonValueKind.Object => (kinds & JsonKinds.Object) != 0,
            JsonValueKind.Array => (kinds & JsonKinds.Array) != 0,
            JsonValueKind.String => (kinds & JsonKinds.String) != 0,
            JsonValueKind.True or JsonValueKind.False => (kinds & JsonKinds.Boolean) != 0,
            JsonValueKind.Number => (kinds & JsonKinds.Number) != 0 || ((kinds & JsonKinds.Integer) != 0 && IsInteger(value, schema.Format)),
            _ => true,
        };

        if (!ok)
        {
            var found = value.ValueKind == JsonValueKind.Number && (kinds & JsonKinds.Integer) != 0
                ? $"the number {value.GetRawText()}, not an {schema.Format ?? "integer"}"
                : Describe(value.ValueKind);
            problems.Add($"{role} value {path} is {found} but the document expects {Describe(kinds)}{Owner(schema)}");
            return false;
        }

        return EnumMatches(value, schema, path, role, problems);
    }

    private static bool EnumMatches(JsonElement value, SchemaNode schema, JsonPath path, string role, List<string> problems)
    {
        if (schema.Enum is null)
        {
            return true;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (schema.Enum.Contains(text))
        {
            return true;
        }

        problems.Add($"{role} value {path} is {value.GetRawText()}, not one of {string.Join(", ", schema.Enum)}{Owner(schema)}");
        return false;
    }

    private static bool IsInteger(JsonElement value, string? format) => format switch
    {
        "int32" => value.TryGetInt32(out _),
        _ => value.TryGetInt64(out _) || (value.TryGetDecimal(out var d) && decimal.Truncate(d) == d),
    };

    private static string Owner(SchemaNode schema) => schema.Name is null ? string.Empty : $" ({schema.Name})";

    private static bool MatchesOneAlternative(JsonElement value, List<SchemaNode> alternatives, JsonPath path, string role, List<string> problems)
    {
        List<string>? closest = null;
        foreach (var alternative in alternatives)
        {
            var attempt = new List<string>();
            Validate(value, alternative, path, role, attempt);
            if (attempt.Count == 0)
            {
                return true;
            }

            if (closest is null || attempt.Count < closest.Count)
            {
                closest = attempt;
            }
        }

        problems.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"{role} value {path} matches none of the {alternatives.Count} documented alternatives (closest: {string.Join("; ", closest ?? [])})"));
        return false;
    }
}
