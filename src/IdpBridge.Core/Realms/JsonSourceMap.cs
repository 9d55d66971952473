using System.Globalization;
using System.Text.Json;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Where each value of a JSON document starts (1-based line and character column), by JSON path, so that problems
/// found in the parsed <see cref="System.Text.Json.Nodes.JsonNode"/> tree can be pointed at in the file. Built by
/// one pass of <see cref="Utf8JsonReader"/>, which also finds duplicate property names (the node tree would keep
/// one of them silently).
/// </summary>
internal sealed class JsonSourceMap
{
    private readonly Dictionary<string, int> offsets = new(StringComparer.Ordinal);
    private readonly int[] lineStarts;
    private readonly byte[] utf8;

    /// <summary>Prepares the map of <paramref name="utf8"/>; <see cref="Walk"/> fills it.</summary>
    public JsonSourceMap(byte[] utf8)
    {
        this.utf8 = utf8;
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        lineStarts = [.. starts];
    }

    /// <summary>Property names that appear twice in one object: the path, the name and where the repeat starts.</summary>
    public List<(string Path, string Name, int Line, int Column)> DuplicateProperties { get; } = [];

    /// <summary>
    /// The position of the value at <paramref name="path"/>, or of its nearest enclosing value when the path does
    /// not exist in the file (a missing property is reported on the object that lacks it).
    /// </summary>
    public (int Line, int Column) Locate(string path)
    {
        for (var candidate = path; ; candidate = JsonPaths.Parent(candidate))
        {
            if (offsets.TryGetValue(candidate, out var offset))
            {
                return Position(offset);
            }

            if (candidate == JsonPaths.Root)
            {
                return (1, 1);
            }
        }
    }

    /// <summary>1-based line and character column of a reader position (0-based line, byte in line).</summary>
    public (int Line, int Column) Position(long zeroBasedLine, long bytePositionInLine)
    {
        var line = (int)Math.Clamp(zeroBasedLine, 0, lineStarts.Length - 1);
        var offset = (int)Math.Min(lineStarts[line] + bytePositionInLine, utf8.Length);
        return Position(offset);
    }

    /// <summary>1-based line and character column of a byte offset.</summary>
    public (int Line, int Column) Position(int byteOffset)
    {
        var index = Array.BinarySearch(lineStarts, byteOffset);
        var line = index >= 0 ? index : ~index - 1;
        var characters = 0;
        for (var i = lineStarts[line]; i < byteOffset; i++)
        {
            // Count characters, not bytes: UTF-8 continuation bytes are 10xxxxxx.
            if ((utf8[i] & 0xC0) != 0x80)
            {
                characters++;
            }
        }

        return (line + 1, characters + 1);
    }

    /// <summary>Reads the whole document, recording positions; throws <see cref="JsonException"/> for invalid JSON.</summary>
    public void Walk()
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var containers = new Stack<Container>();
        string? pendingName = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString()!;
                    var owner = containers.Peek();
                    if (!owner.Names!.Add(pendingName))
                    {
                        var (line, column) = Position((int)reader.TokenStartIndex);
                        DuplicateProperties.Add((JsonPaths.Property(owner.Path, pendingName), pendingName, line, column));
                    }

                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                default:
                    var path = ChildPath(containers, pendingName);
                    pendingName = null;
                    offsets.TryAdd(path, (int)reader.TokenStartIndex);
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        containers.Push(new Container(path, reader.TokenType == JsonTokenType.StartObject ? new(StringComparer.Ordinal) : null));
                    }

                    break;
            }
        }
    }

    private static string ChildPath(Stack<Container> containers, string? propertyName)
    {
        if (containers.Count == 0)
        {
            return JsonPaths.Root;
        }

        var parent = containers.Peek();
        return parent.Names is null ? JsonPaths.Index(parent.Path, parent.NextIndex++) : JsonPaths.Property(parent.Path, propertyName!);
    }

    private sealed class Container(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;

        /// <summary>The property names seen so far; null for an array.</summary>
        public HashSet<string>? Names { get; } = names;

        public int NextIndex { get; set; }
    }
}

/// <summary>JSON paths as the loader prints them: <c>$.a.b[0]</c>, with <c>['x.y']</c> for names that need quoting.</summary>
internal static class JsonPaths
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsPlain(name)
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>The enclosing path; <see cref="Root"/> for the root itself.</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            // Either [n] or ['name']: find the bracket that opens it, skipping quoted text.
            var quoted = path.EndsWith("']", StringComparison.Ordinal);
            for (var i = path.Length - 2; i >= 0; i--)
            {
                if (path[i] == '[' && (!quoted || (i + 1 < path.Length && path[i + 1] == '\'' && (i == 0 || path[i - 1] != '\\'))))
                {
                    return path[..i];
                }
            }

            return Root;
        }

        var dot = path.LastIndexOf('.');
        return dot <= 0 ? Root : path[..dot];
    }

    /// <summary>The last property name in <paramref name="path"/> (array indexes skipped), or null.</summary>
    public static string? LastPropertyName(string path)
    {
        while (path != Root)
        {
            var parent = Parent(path);
            var segment = path[parent.Length..];
            if (segment.StartsWith('.'))
            {
                return segment[1..];
            }

            if (segment.StartsWith("['", StringComparison.Ordinal))
            {
                return segment[2..^2].Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            path = parent;
        }

        return null;
    }

    private static bool IsPlain(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
