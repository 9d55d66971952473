using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// The canonical form of a JSON value that a proof's signature covers, the subset of RFC 8785 (JCS) a proof needs:
/// UTF-8 without a byte-order mark; no whitespace between tokens; object members sorted by name (ordinal, UTF-16 code
/// units; a repeated name is refused); arrays in their order; <c>true</c>, <c>false</c>, <c>null</c>; numbers only
/// whole and within 64 bits, in plain decimal (<c>-</c>, no leading zero, no fraction or exponent); strings between
/// <c>"</c> with <c>\"</c>, <c>\\</c>, <c>\b</c>, <c>\f</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, every other character
/// below U+0020 as <c>\u00xx</c> (lower-case hex), and every other character as itself (no <c>\u</c> escapes, so
/// <c>é</c> is its two UTF-8 bytes). The same value always gives the same bytes, whatever whitespace, member order or
/// escapes its source used.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical bytes of <paramref name="value"/>; <see cref="FormatException"/> when it is outside the subset.</summary>
    public static byte[] Serialize(JsonElement value)
    {
        var text = new StringBuilder(4096);
        Write(text, value);
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text.ToString());
    }

    private static void Write(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().Select(member => (member.Name, member.Value)).ToList();
                members.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                        {
                            throw new FormatException($"The member '{members[i].Name}' appears twice in one object.");
                        }

                        text.Append(',');
                    }

                    WriteString(text, members[i].Name);
                    text.Append(':');
                    Write(text, members[i].Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    Write(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetInt64(out var number))
                {
                    throw new FormatException($"The number {value.GetRawText()} is not a whole number within 64 bits.");
                }

                text.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new FormatException($"A JSON value of kind {value.ValueKind} has no canonical form.");
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
            {
                throw new FormatException("A string holds a lone surrogate, which UTF-8 cannot encode.");
            }

            if (char.IsHighSurrogate(c))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }

            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }
}
