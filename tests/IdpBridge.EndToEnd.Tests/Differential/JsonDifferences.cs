using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>How two answers are compared: which paths are sets, which are compared by shape only, which are left out.</summary>
/// <remarks>
/// Paths are written <c>users[*].attributes.locale</c>: <c>[*]</c> stands for any index, a leading <c>$</c> for the root.
/// Ids, timestamps and secrets differ between two servers by nature; they are compared by shape (both a UUID, both a
/// number), as is every value that looks like a UUID.
/// </remarks>
internal sealed class Comparison
{
    private static readonly HashSet<string> ShapeKeys = new(StringComparer.Ordinal)
    {
        "id", "internalId", "createdTimestamp", "time", "timestamp", "realmId", "userId", "sessionId", "containerId", "notBefore",
        "terms_and_conditions", "client.secret.creation.time",
    };

    /// <summary>Paths whose arrays are sets: compared whatever their order.</summary>
    public List<string> Sets { get; } = [];

    /// <summary>Paths compared by shape only (beyond the usual ids and timestamps).</summary>
    public List<string> ShapeOnly { get; } = [];

    /// <summary>Paths left out of the comparison, each with the reason a reader of the test needs.</summary>
    public List<string> Ignored { get; } = [];

    internal bool IsSet(string path) => Matches(Sets, path);

    internal bool IsShapeOnly(string path, string? key) => (key is not null && ShapeKeys.Contains(key)) || Matches(ShapeOnly, path);

    internal bool IsIgnored(string path) => Matches(Ignored, path);

    private static bool Matches(List<string> patterns, string path) => patterns.Any(pattern =>
        Regex.IsMatch(path, "^" + Regex.Escape(pattern.TrimStart('$').TrimStart('.')).Replace(@"\[\*]", @"\[\d+]", StringComparison.Ordinal) + "$"));
}

/// <summary>The field-by-field differences between what the real server and the simulator answered to the same request.</summary>
internal static partial class JsonDifferences
{
    /// <summary>Every difference, one line each (<c>path: server … ≠ simulator …</c>); empty when they agree.</summary>
    public static List<string> Between(JsonNode? server, JsonNode? simulator, Comparison? comparison = null)
    {
        var differences = new List<string>();
        Walk(server, simulator, "", null, comparison ?? new Comparison(), differences);
        return differences;
    }

    private static void Walk(JsonNode? server, JsonNode? simulator, string path, string? key, Comparison comparison, List<string> differences)
    {
        if (comparison.IsIgnored(path))
        {
            return;
        }

        switch (server, simulator)
        {
            case (null, null):
                return;
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(pair => pair.Key).Union(right.Select(pair => pair.Key)).Order(StringComparer.Ordinal))
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    var inServer = left.TryGetPropertyValue(name, out var leftValue);
                    var inSimulator = right.TryGetPropertyValue(name, out var rightValue);
                    if (comparison.IsIgnored(childPath))
                    {
                        continue;
                    }

                    if (inServer && !inSimulator)
                    {
                        differences.Add($"{childPath}: the simulator leaves it out; the server sends {Show(leftValue)}");
                    }
                    else if (!inServer)
                    {
                        differences.Add($"{childPath}: the server leaves it out; the simulator sends {Show(rightValue)}");
                    }
                    else
                    {
                        Walk(leftValue, rightValue, childPath, name, comparison, differences);
                    }
                }

                return;
            case (JsonArray left, JsonArray right):
                if (left.Count != right.Count)
                {
                    differences.Add($"{path}: the server sends {left.Count} items, the simulator {right.Count}: {Show(left)} ≠ {Show(right)}");
                    return;
                }

                var (leftItems, rightItems) = comparison.IsSet(path)
                    ? (left.OrderBy(item => SortKey(item, comparison), StringComparer.Ordinal).ToList(),
                       right.OrderBy(item => SortKey(item, comparison), StringComparer.Ordinal).ToList())
                    : (left.ToList(), right.ToList());
                for (var i = 0; i < leftItems.Count; i++)
                {
                    Walk(leftItems[i], rightItems[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", key, comparison, differences);
                }

                return;
            case (JsonValue left, JsonValue right):
                if (comparison.IsShapeOnly(path, key) || (IsUuid(left) && IsUuid(right)))
                {
                    if (Shape(left) != Shape(right))
                    {
                        differences.Add($"{path}: the server sends a {Shape(left)} ({Show(left)}), the simulator a {Shape(right)} ({Show(right)})");
                    }

                    return;
                }

                if (!JsonNode.DeepEquals(left, right))
                {
                    differences.Add($"{path}: server {Show(left)} ≠ simulator {Show(right)}");
                }

                return;
            default:
                differences.Add($"{path}: server {Show(server)} ≠ simulator {Show(simulator)}");
                return;
        }
    }

    /// <summary>
    /// Where a set item goes once sorted: by what names it (<c>clientId</c>, <c>alias</c>, <c>name</c>) when it has such
    /// a field, so that items that differ are compared with each other, then by its <see cref="Canonical"/> text.
    /// </summary>
    private static string SortKey(JsonNode? item, Comparison comparison) =>
        (item is JsonObject named && new[] { "clientId", "alias", "name" }.Select(key => named[key]).OfType<JsonValue>().FirstOrDefault() is { } name
            ? name.ToJsonString() + "\u0000"
            : "") + Canonical(item, comparison);

    /// <summary>A set item's text without what is compared by shape only (ids differ between the two servers), keys sorted.</summary>
    private static string Canonical(JsonNode? node, Comparison comparison) => node switch
    {
        JsonObject item => "{" + string.Join(",", item
            .Where(pair => !comparison.IsShapeOnly("", pair.Key) && !(pair.Value is JsonValue value && IsUuid(value)))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}:{Canonical(pair.Value, comparison)}")) + "}",
        JsonArray items => "[" + string.Join(",", items.Select(child => Canonical(child, comparison))) + "]",
        _ => node?.ToJsonString() ?? "null",
    };

    private static bool IsUuid(JsonValue value) => value.GetValueKind() == JsonValueKind.String && Guid.TryParse(value.GetValue<string>(), out _);

    private static string Shape(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String when IsUuid(value) => "UUID",
        JsonValueKind.String when long.TryParse(value.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out _) => "numeric string",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString(),
    };

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 160 ? text[..160] + "…" : text;
    }
}
