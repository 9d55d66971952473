using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace IdpBridge.MailCatcher;

/// <summary>
/// One message an <see cref="SmtpSink"/> received, decoded as a mail reader would: headers (RFC 2047 encoded words
/// in the subject), and the text and HTML bodies of a single-part or (nested) multipart message, each decoded from
/// its transfer encoding (7bit, 8bit, quoted-printable, base64) and charset.
/// </summary>
/// <param name="To">The envelope recipients (RCPT TO).</param>
/// <param name="From">The <c>From</c> header.</param>
/// <param name="Subject">The decoded <c>Subject</c> header.</param>
/// <param name="Text">The decoded <c>text/plain</c> body, or empty.</param>
/// <param name="Html">The decoded <c>text/html</c> body, or empty.</param>
/// <param name="Raw">The message as sent, dot-unstuffed (header bytes as Latin-1 characters).</param>
public sealed partial record ReceivedMail(IReadOnlyList<string> To, string From, string Subject, string Text, string Html, string Raw)
{
    /// <summary>The http(s) links of the text body (of the HTML body's <c>href</c>s when there is no text body), in order.</summary>
    public IReadOnlyList<Uri> Links =>
        (Text.Length > 0
            ? TextLink().Matches(Text).Select(match => match.Value)
            : HtmlLink().Matches(Html).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value)))
        .Select(link => new Uri(link))
        .ToList();

    /// <summary>Parses a message received for <paramref name="to"/>.</summary>
    public static ReceivedMail Parse(IReadOnlyList<string> to, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var (headers, body) = Split(raw);
        var text = new StringBuilder();
        var html = new StringBuilder();
        CollectBodies(headers, body, text, html);
        return new ReceivedMail(to, DecodeWords(Header(headers, "From")), DecodeWords(Header(headers, "Subject")), text.ToString(), html.ToString(), raw);
    }

    private static void CollectBodies(Dictionary<string, string> headers, string body, StringBuilder text, StringBuilder html)
    {
        var contentType = Header(headers, "Content-Type");
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal) && Parameter(contentType, "boundary") is { } boundary)
        {
            foreach (var part in body.Split("--" + boundary).Skip(1))
            {
                if (part.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                var (partHeaders, partBody) = Split(part.TrimStart('\r', '\n'));
                CollectBodies(partHeaders, partBody, text, html);
            }

            return;
        }

        if (mediaType is not ("" or "text/plain" or "text/html"))
        {
            return;
        }

        var bytes = Header(headers, "Content-Transfer-Encoding").Trim().ToLowerInvariant() switch
        {
            "quoted-printable" => QuotedPrintable(body),
            "base64" => Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c)))),
            _ => Encoding.Latin1.GetBytes(body),
        };
        var decoded = Charset(Parameter(contentType, "charset")).GetString(bytes);
        (mediaType == "text/html" ? html : text).Append(decoded);
    }

    private static (Dictionary<string, string> Headers, string Body) Split(string entity)
    {
        var end = entity.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? entity : entity[..end];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, end < 0 ? "" : entity[(end + 4)..]);
    }

    private static string Header(Dictionary<string, string> headers, string name) => headers.GetValueOrDefault(name) ?? "";

    private static string? Parameter(string headerValue, string name) =>
        headerValue.Split(';').Skip(1).Select(p => p.Trim().Split('=', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim().Trim('"'))
            .FirstOrDefault();

    private static Encoding Charset(string? name)
    {
        try
        {
            return string.IsNullOrEmpty(name) || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8 : Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    /// <summary>RFC 2045 §6.7: <c>=XX</c> is a byte, <c>=</c> at a line's end a soft break.</summary>
    private static byte[] QuotedPrintable(string body)
    {
        var bytes = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '=')
            {
                bytes.Add((byte)body[i]);
            }
            else if (i + 2 < body.Length && body[i + 1] == '\r' && body[i + 2] == '\n')
            {
                i += 2;
            }
            else if (i + 2 < body.Length && byte.TryParse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                bytes.Add((byte)'=');
            }
        }

        return [.. bytes];
    }

    /// <summary>RFC 2047 encoded words (<c>=?UTF-8?Q?Verificaci=C3=B3n?=</c>, <c>=?UTF-8?B?...?=</c>) in a header.</summary>
    private static string DecodeWords(string header) =>
        EncodedWord().Replace(header.Replace("?= =?", "?==?", StringComparison.Ordinal), match =>
        {
            var charset = Charset(match.Groups["charset"].Value);
            var data = match.Groups["data"].Value;
            var bytes = match.Groups["encoding"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(data)
                : QuotedPrintable(data.Replace('_', ' '));
            return charset.GetString(bytes);
        });

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[QqBb])\?(?<data>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex TextLink();

    [GeneratedRegex(@"href=""(https?://[^""]+)""")]
    private static partial Regex HtmlLink();
}
