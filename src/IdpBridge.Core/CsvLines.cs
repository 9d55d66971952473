using System.Text;

namespace IdpBridge.Core;

/// <summary>RFC 4180 lines for the CSV exports (the ledger's, a rollout's users), guarded against spreadsheet formulas.</summary>
internal static class CsvLines
{
    /// <summary>Writes one line of <paramref name="values"/> (null as empty), CRLF-terminated, through the reusable <paramref name="line"/>.</summary>
    public static Task WriteAsync(TextWriter writer, StringBuilder line, IEnumerable<string?> values, char delimiter)
    {
        line.Clear();
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                line.Append(delimiter);
            }

            first = false;
            AppendField(line, value ?? "", delimiter);
        }

        line.Append("\r\n");
        return writer.WriteAsync(line);
    }

    /// <summary>
    /// One field, RFC 4180: quoted when it holds the delimiter, a quote or a line break (quotes doubled). A value a
    /// spreadsheet would run as a formula (leading <c>= + - @</c>, tab or CR) gets a leading apostrophe (OWASP's
    /// CSV-injection advice); the JSON exports keep every value verbatim.
    /// </summary>
    public static void AppendField(StringBuilder line, string value, char delimiter)
    {
        var guarded = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quoted = guarded || value.AsSpan().IndexOfAny(['"', '\r', '\n', delimiter]) >= 0;
        if (!quoted)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        if (guarded)
        {
            line.Append('\'');
        }

        line.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>Refuses a delimiter that would break the format.</summary>
    public static void CheckDelimiter(char delimiter, string parameterName)
    {
        if (delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The CSV delimiter cannot be a quote or a line break.", parameterName);
        }
    }
}
