namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>
/// Matches a concrete path against every documented template at once: the templates are folded into a tree of
/// segments at load time. A literal segment beats a <c>{param}</c> (<c>users/count</c> is not user "count"):
/// among all matching templates the one with the most literal segments wins, and on a tie the one whose first
/// literal comes earliest, which is how JAX-RS ranks resource paths.
/// </summary>
internal sealed class PathMatcher<T>
    where T : class
{
    private readonly Node root = new();

    public void Add(string template, T value)
    {
        var node = root;
        foreach (var segment in Split(template))
        {
            if (segment.Length > 1 && segment[0] == '{' && segment[^1] == '}')
            {
                node = node.Parameter ??= new Node();
            }
            else
            {
                node.Literals ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                if (!node.Literals.TryGetValue(segment, out var next))
                {
                    next = new Node();
                    node.Literals[segment] = next;
                }

                node = next;
            }
        }

        node.Value = value;
    }

    /// <summary>Finds the best template for already unescaped segments; null when none matches.</summary>
    public T? Match(IReadOnlyList<string> segments)
    {
        T? best = null;
        var bestLiterals = -1;
        Visit(root, segments, 0, 0, ref best, ref bestLiterals);
        return best;
    }

    /// <summary>Splits a path into its segments, ignoring one trailing slash.</summary>
    public static List<string> Split(string path)
    {
        var end = path.Length;
        if (end > 1 && path[end - 1] == '/')
        {
            end--;
        }

        var segments = new List<string>(12);
        var start = path.Length > 0 && path[0] == '/' ? 1 : 0;
        while (start <= end)
        {
            var slash = path.IndexOf('/', start, end - start);
            var stop = slash < 0 ? end : slash;
            segments.Add(path[start..stop]);
            start = stop + 1;
        }

        return segments;
    }

    // Depth-first, literal before parameter: the first template found with a given literal count is also the one
    // whose literals come earliest, so only a strictly better count replaces it.
    private static void Visit(Node node, IReadOnlyList<string> segments, int index, int literals, ref T? best, ref int bestLiterals)
    {
        if (index == segments.Count)
        {
            if (node.Value is not null && literals > bestLiterals)
            {
                best = node.Value;
                bestLiterals = literals;
            }

            return;
        }

        var segment = segments[index];
        if (node.Literals is not null && node.Literals.TryGetValue(segment, out var literal))
        {
            Visit(literal, segments, index + 1, literals + 1, ref best, ref bestLiterals);
        }

        if (node.Parameter is not null && segment.Length > 0)
        {
            Visit(node.Parameter, segments, index + 1, literals, ref best, ref bestLiterals);
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Literals { get; set; }

        public Node? Parameter { get; set; }

        public T? Value { get; set; }
    }
}
