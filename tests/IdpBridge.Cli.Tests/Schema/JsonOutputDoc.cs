using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdpBridge.Cli.Tests.Schema;

/// <summary>
/// docs/cli-json.md read as data: one section per command (<c>### `rollout status`</c>) with a table of property paths
/// (<c>counts.marked</c>, <c>failures[].userId</c>, <c>[].number</c> for an array at the top) and their types; and the
/// check of one command's output against its section.
/// </summary>
internal static partial class JsonOutputDoc
{
    public static string Path => System.IO.Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "docs", "cli-json.md");

    /// <summary>
    /// Each section: the command (with its variant, <c>rollout start, in a bridge realm</c>), and its rows in the order
    /// written (none for a format the doc points elsewhere for).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Row>> Read()
    {
        var sections = new Dictionary<string, IReadOnlyList<Row>>(StringComparer.Ordinal);
        List<Row>? rows = null;
        foreach (var line in File.ReadLines(Path))
        {
            if (Heading().Match(line) is { Success: true } heading)
            {
                rows = [];
                sections.Add(heading.Groups[1].Value + heading.Groups[2].Value, rows);
            }
            else if (rows is not null && TableRow().Match(line) is { Success: true } row)
            {
                rows.Add(new Row(row.Groups[1].Value, Parse(row.Groups[2].Value.Trim())));
            }
        }

        return sections;
    }

    /// <summary>
    /// What is wrong with <paramref name="output"/> against <paramref name="rows"/>; each path seen is added to
    /// <paramref name="seen"/> (<c>x[]</c> once the array <c>x</c> had an element, <c>""</c> for the output itself), and
    /// <c>x (object)</c> once <c>x</c> was an object, not null (so a nullable object's properties are only asked for then).
    /// </summary>
    public static List<string> Check(JsonNode? output, IReadOnlyList<Row> rows, ISet<string> seen)
    {
        var problems = new List<string>();
        seen.Add("");
        var byPath = rows.ToDictionary(row => row.Path, row => row.Type, StringComparer.Ordinal);
        if (rows.Any(row => row.Path.StartsWith("[]", StringComparison.Ordinal)))
        {
            if (output is not JsonArray array)
            {
                problems.Add($"the output is {Kind(output)}, the doc lists an array");
                return problems;
            }

            foreach (var item in array)
            {
                seen.Add("[]");
                Element("[]", item, new FieldType("object", Nullable: false, Optional: false, null), byPath, seen, problems);
            }
        }
        else
        {
            Element("", output, new FieldType("object", Nullable: false, Optional: false, null), byPath, seen, problems);
        }

        return problems;
    }

    private static void Element(
        string path, JsonNode? value, FieldType type, Dictionary<string, FieldType> byPath, ISet<string> seen, List<string> problems)
    {
        if (type.Name == "any")
        {
            return;
        }

        if (value is null)
        {
            if (!type.Nullable)
            {
                problems.Add($"{Name(path)} is null; the doc says {type.Name}");
            }

            return;
        }

        if (!Fits(value, type, out var why))
        {
            problems.Add($"{Name(path)} is {Kind(value)} ({Short(value)}); the doc says {type.Name}{why}");
            return;
        }

        if (type.Name == "map")
        {
            foreach (var (_, item) in value.AsObject())
            {
                Element(path + "{}", item, Scalar(type.Of!), byPath, seen, problems);
            }
        }
        else if (type.Name == "array")
        {
            foreach (var item in value.AsArray())
            {
                seen.Add(path + "[]");
                Element(path + "[]", item, Scalar(type.Of!), byPath, seen, problems);
            }
        }
        else if (type.Name == "object")
        {
            seen.Add(path + " (object)");
            var prefix = path.Length == 0 ? "" : path.EndsWith("[]", StringComparison.Ordinal) ? path : path + ".";
            var children = byPath.Where(pair => IsChild(prefix, pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            foreach (var (name, item) in value.AsObject())
            {
                var child = prefix.EndsWith("[]", StringComparison.Ordinal) ? $"{prefix}.{name}" : prefix + name;
                if (!byPath.TryGetValue(child, out var childType))
                {
                    problems.Add($"{child} is not in the doc");
                    continue;
                }

                seen.Add(child);
                Element(child, item, childType, byPath, seen, problems);
            }

            foreach (var (name, childType) in children)
            {
                var key = name[(name.LastIndexOf('.') + 1)..];
                if (!childType.Optional && !value.AsObject().ContainsKey(key))
                {
                    problems.Add($"{name} is missing; the doc does not say it is optional");
                }
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is a direct property of the object at <paramref name="prefix"/>.</summary>
    private static bool IsChild(string prefix, string candidate)
    {
        var start = prefix.EndsWith("[]", StringComparison.Ordinal) ? prefix + "." : prefix;
        if (!candidate.StartsWith(start, StringComparison.Ordinal) || candidate.Length == start.Length)
        {
            return false;
        }

        var rest = candidate[start.Length..];
        return !rest.Contains('.', StringComparison.Ordinal) && !rest.Contains('[', StringComparison.Ordinal);
    }

    private static FieldType Scalar(string name) => Parse(name);

    private static bool Fits(JsonNode value, FieldType type, out string why)
    {
        why = "";
        var kind = value.GetValueKind();
        switch (type.Name)
        {
            case "string":
                return kind == JsonValueKind.String;
            case "integer":
                return kind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _);
            case "number":
                return kind == JsonValueKind.Number;
            case "boolean":
                return kind is JsonValueKind.True or JsonValueKind.False;
            case "time":
                why = " (ISO-8601 UTC, ending in Z)";
                return kind == JsonValueKind.String && UtcTime().IsMatch(value.GetValue<string>());
            case "date":
                why = " (yyyy-MM-dd)";
                return kind == JsonValueKind.String && Date().IsMatch(value.GetValue<string>());
            case "enum":
                why = $" ({string.Join(", ", type.Values!)})";
                return kind == JsonValueKind.String && type.Values!.Contains(value.GetValue<string>());
            case "object":
            case "map":
                return kind == JsonValueKind.Object;
            case "array":
                return kind == JsonValueKind.Array;
            default:
                throw new InvalidOperationException($"docs/cli-json.md: unknown type '{type.Name}'");
        }
    }

    /// <summary>
    /// <c>[optional] T [or null]</c>, where T is string, integer, number, boolean, time, date, object, any,
    /// <c>enum(a, b)</c>, <c>array of T</c> or <c>map of T</c>.
    /// </summary>
    private static FieldType Parse(string text)
    {
        var optional = text.StartsWith("optional ", StringComparison.Ordinal);
        text = optional ? text["optional ".Length..] : text;
        var nullable = text.EndsWith(" or null", StringComparison.Ordinal);
        text = nullable ? text[..^" or null".Length] : text;
        if (text.StartsWith("enum(", StringComparison.Ordinal) && text.EndsWith(')'))
        {
            var values = text[5..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new FieldType("enum", nullable, optional, null) { Values = values };
        }

        foreach (var container in new[] { "array", "map" })
        {
            if (text.StartsWith(container + " of ", StringComparison.Ordinal))
            {
                return new FieldType(container, nullable, optional, text[(container.Length + 4)..]);
            }
        }

        return new FieldType(text, nullable, optional, null);
    }

    /// <summary>The command a section is about: its name without the variant.</summary>
    public static string Command(string section) => section.Split(',')[0];

    /// <summary>The path of the object or array that holds <paramref name="path"/>'s property.</summary>
    public static string Parent(string path) =>
        path.LastIndexOf('.') is var dot and >= 0 ? path[..dot] : path.EndsWith("[]", StringComparison.Ordinal) && path != "[]" ? path[..^2] : "";

    private static string Name(string path) => path.Length == 0 ? "the output" : path;

    private static string Kind(JsonNode? value) => value is null ? "null" : value.GetValueKind().ToString().ToLowerInvariant();

    private static string Short(JsonNode value)
    {
        var text = value.ToJsonString();
        return text.Length > 60 ? text[..60] + "..." : text;
    }

    /// <summary><c>### `rollout start`</c>, or a variant of a command's output: <c>### `rollout start`, in a bridge realm</c>.</summary>
    [GeneratedRegex(@"^### `([a-z -]+)`(, [a-z -]+)?$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `([^`]+)` \| ([^|]+) \|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")]
    private static partial Regex UtcTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d$")]
    private static partial Regex Date();

    /// <summary>One documented property: its path and type.</summary>
    public sealed record Row(string Path, FieldType Type);

    /// <summary>A documented type.</summary>
    public sealed record FieldType(string Name, bool Nullable, bool Optional, string? Of)
    {
        public IReadOnlyList<string>? Values { get; init; }
    }
}
