using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Reads policy source files: Markdown with optional Hugo-style YAML front matter (<c>---</c> ... <c>---</c> at the
/// very top), the same shape as the documents the policies were first written in. A file without front matter is
/// read as it is.
/// </summary>
public static partial class PolicyDocumentReader
{
    /// <summary>
    /// The largest policy file read, in bytes (1 MiB): a privacy policy is a few pages, and every version is kept
    /// forever and written into Keycloak's texts, so a wrong file is refused before anything is stored.
    /// </summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly SearchValues<char> BinaryCharacters = SearchValues.Create(
        Enumerable.Range(0, 32).Where(code => code is not ('\t' or '\n' or '\r')).Select(code => (char)code).ToArray());

    /// <summary>Reads and parses one file: UTF-8 text (with or without BOM) of at most <see cref="MaxFileBytes"/>.</summary>
    /// <param name="path">The file; its path is the source name in every message.</param>
    /// <exception cref="PolicyDocumentException">
    /// The file cannot be read, is too large, is not UTF-8 text, or its front matter cannot be read.
    /// </exception>
    public static PolicyDocument Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            if (file.Length > MaxFileBytes)
            {
                throw new PolicyDocumentException(
                    path, null, $"the file is {file.Length:N0} bytes; a policy file may have at most {MaxFileBytes:N0} (1 MiB)");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PolicyDocumentException(path, null, $"the file cannot be read: {exception.Message}");
        }

        return Parse(DecodeText(bytes, path), path);
    }

    private static string DecodeText(byte[] bytes, string path)
    {
        var preamble = Encoding.UTF8.Preamble;
        var start = bytes.AsSpan().StartsWith(preamble) ? preamble.Length : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new PolicyDocumentException(path, null, "the file is not UTF-8 text: save it as UTF-8 (a policy is Markdown)");
        }

        // A NUL or another control character (tab and line ends aside) means a binary file, not Markdown.
        var control = text.AsSpan().IndexOfAny(BinaryCharacters);
        if (control >= 0)
        {
            var line = text.AsSpan(0, control).Count('\n') + 1;
            throw new PolicyDocumentException(path, line, $"the file holds the control character U+{(int)text[control]:X4}: it is not a text file");
        }

        return text;
    }

    /// <summary>Parses one document's text.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="sourceName">The name used in messages (usually the path).</param>
    /// <exception cref="PolicyDocumentException">The front matter cannot be read.</exception>
    public static PolicyDocument Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);

        var lines = Normalize(text).Split('\n');
        // Normalize ends with '\n', so the last element is always the empty remainder.
        var count = lines.Length - 1;

        FrontMatter? frontMatter = null;
        var bodyStart = 0;
        if (count > 0 && lines[0].TrimEnd() == "---")
        {
            var close = -1;
            for (var i = 1; i < count; i++)
            {
                var trimmed = lines[i].TrimEnd();
                if (trimmed is "---" or "...")
                {
                    close = i;
                    break;
                }
            }

            if (close < 0)
            {
                throw new PolicyDocumentException(
                    sourceName, 1, "the front matter opened here is never closed: end it with a line '---'");
            }

            frontMatter = ReadFrontMatter(string.Join('\n', lines[1..close]), sourceName);
            bodyStart = close + 1;
        }

        var body = EndWithOneNewline(string.Join('\n', lines[bodyStart..count]));
        var bodyLines = lines[bodyStart..count];
        var title = frontMatter?.Title ?? TitleFromBody(bodyLines)
            ?? throw new PolicyDocumentException(sourceName, null, "the document is empty: it has no title and no text");

        return new PolicyDocument(
            SourceName: sourceName,
            Title: title,
            Markdown: body,
            Sha256: Sha256Hex(body),
            HasFrontMatter: frontMatter is not null,
            Locale: frontMatter?.Locale,
            Kind: frontMatter?.Kind,
            Effective: frontMatter?.Effective,
            Summary: frontMatter?.Summary,
            Draft: frontMatter?.Draft ?? false,
            Description: frontMatter?.Description,
            Image: frontMatter?.Image,
            Date: frontMatter?.Date,
            OtherFields: frontMatter?.Others ?? new Dictionary<string, string>());
    }

    /// <summary>
    /// Parses an effective time as written in front matter or on a command line: ISO-8601 with a date, a time and
    /// <c>Z</c> or an offset (<c>2026-12-01T00:00:00-03:00</c>). A time without offset is refused, since it would
    /// depend on the clock of whichever machine publishes.
    /// </summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The time when valid.</param>
    /// <param name="problem">Why it is refused, and what to write instead; null when valid.</param>
    /// <returns>Whether <paramref name="value"/> is valid.</returns>
    public static bool TryParseEffective(string value, out DateTimeOffset result, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        result = default;
        if (!EffectiveShape().IsMatch(text))
        {
            problem = DateOnlyShape().IsMatch(text) || NoOffsetShape().IsMatch(text)
                ? $"effective '{text}' has no time zone: write it with Z or an offset, e.g. 2026-12-01T00:00:00Z or 2026-12-01T00:00:00-03:00"
                : $"effective '{text}' is not an ISO-8601 time: write e.g. 2026-12-01T00:00:00Z or 2026-12-01T00:00:00-03:00";
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out result))
        {
            problem = $"effective '{text}' is not a valid date and time";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="text"/> in UTF-8.</summary>
    internal static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return text.EndsWith('\n') ? text : text + "\n";
    }

    // Trailing blank lines are an editor's accident, not the author's text: the body ends with exactly one newline.
    private static string EndWithOneNewline(string body) => body.TrimEnd('\n', ' ', '\t') + "\n";

    private static string? TitleFromBody(string[] lines)
    {
        foreach (var line in lines)
        {
            if (line.StartsWith("# ", StringComparison.Ordinal) && line[2..].Trim().Length > 0)
            {
                return line[2..].Trim();
            }
        }

        foreach (var line in lines)
        {
            var trimmed = line.Trim().TrimStart('#').Trim();
            if (trimmed.Length > 0)
            {
                return trimmed;
            }
        }

        return null;
    }

    private static FrontMatter ReadFrontMatter(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            // The YAML starts on the file's second line (after the opening ---).
            throw new PolicyDocumentException(
                sourceName,
                (int)exception.Start.Line + 1,
                $"the front matter is not valid YAML: {InnerMost(exception).Message}");
        }

        var frontMatter = new FrontMatter();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return frontMatter;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new PolicyDocumentException(
                sourceName, Line(stream.Documents[0].RootNode), "the front matter must be 'name: value' lines");
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode keyScalar ? keyScalar.Value ?? "" : keyNode.ToString();
            switch (key)
            {
                case "title":
                    frontMatter.Title = NonEmpty(Scalar(valueNode, key, sourceName));
                    break;
                case "description":
                    frontMatter.Description = Scalar(valueNode, key, sourceName);
                    break;
                case "image":
                    frontMatter.Image = Scalar(valueNode, key, sourceName);
                    break;
                case "date":
                    frontMatter.Date = Scalar(valueNode, key, sourceName);
                    break;
                case "locale":
                    frontMatter.Locale = NonEmpty(Scalar(valueNode, key, sourceName));
                    break;
                case "summary":
                    frontMatter.Summary = NonEmpty(Scalar(valueNode, key, sourceName)?.Trim());
                    break;
                case "draft":
                    frontMatter.Draft = ReadBool(valueNode, sourceName);
                    break;
                case "kind":
                    frontMatter.Kind = ReadKind(valueNode, sourceName);
                    break;
                case "effective":
                    frontMatter.Effective = ReadEffective(valueNode, sourceName);
                    break;
                default:
                    frontMatter.Others[key] = valueNode is YamlScalarNode scalar ? scalar.Value ?? "" : valueNode.ToString();
                    break;
            }
        }

        return frontMatter;
    }

    private static Exception InnerMost(Exception exception) =>
        exception.InnerException is YamlException inner ? InnerMost(inner) : exception;

    private static int Line(YamlNode node) => (int)node.Start.Line + 1;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? Scalar(YamlNode node, string key, string sourceName) => node switch
    {
        YamlScalarNode scalar => scalar.Value,
        _ => throw new PolicyDocumentException(sourceName, Line(node), $"'{key}' must be a single value, not a list or a map"),
    };

    private static bool ReadBool(YamlNode node, string sourceName)
    {
        var value = Scalar(node, "draft", sourceName)?.Trim();
        return value?.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" or "" or null => false,
            _ => throw new PolicyDocumentException(sourceName, Line(node), $"'draft' must be true or false, not '{value}'"),
        };
    }

    private static PolicyVersionKind? ReadKind(YamlNode node, string sourceName)
    {
        var value = Scalar(node, "kind", sourceName)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return PolicyVersionKinds.TryParse(value, out var kind)
            ? kind
            : throw new PolicyDocumentException(
                sourceName, Line(node), $"'kind' must be {PolicyVersionKinds.Choices}, not '{value}'");
    }

    private static DateTimeOffset? ReadEffective(YamlNode node, string sourceName)
    {
        var value = Scalar(node, "effective", sourceName);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return TryParseEffective(value, out var result, out var problem)
            ? result
            : throw new PolicyDocumentException(sourceName, Line(node), problem!);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex EffectiveShape();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnlyShape();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NoOffsetShape();

    private sealed class FrontMatter
    {
        public string? Title { get; set; }

        public string? Description { get; set; }

        public string? Image { get; set; }

        public string? Date { get; set; }

        public string? Locale { get; set; }

        public string? Summary { get; set; }

        public bool Draft { get; set; }

        public PolicyVersionKind? Kind { get; set; }

        public DateTimeOffset? Effective { get; set; }

        public Dictionary<string, string> Others { get; } = new(StringComparer.Ordinal);
    }
}
