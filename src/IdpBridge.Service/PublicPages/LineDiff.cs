namespace IdpBridge.Service.PublicPages;

/// <summary>A line-by-line diff (longest common subsequence), readable by people, of two Markdown texts.</summary>
internal static class LineDiff
{
    public enum Kind
    {
        Same,
        Added,
        Removed,
    }

    public static IReadOnlyList<(Kind Kind, string Line)> Compute(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        // Policies are a few hundred lines: the quadratic table is small, and exact beats heuristic here.
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var result = new List<(Kind, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add((Kind.Same, a[x]));
                x++;
                y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                result.Add((Kind.Removed, a[x++]));
            }
            else
            {
                result.Add((Kind.Added, b[y++]));
            }
        }

        result.AddRange(a[x..].Select(line => (Kind.Removed, line)));
        result.AddRange(b[y..].Select(line => (Kind.Added, line)));
        return result;
    }
}
