using System.Net;
using System.Text;
using IdpBridge.Core.Policies;

namespace IdpBridge.Service.PublicPages;

/// <summary>The HTML of the public pages: self-contained, one stylesheet from this service, no script.</summary>
internal static class PolicyPageWriter
{
    public static string Version(PolicyVersion version, PolicyText text, bool isCurrent, string basePath)
    {
        var words = PageTexts.For(text.Locale);
        var body = new StringBuilder();
        body.Append("<header><p class=\"meta\">")
            .Append(E(words.Version)).Append(' ').Append(version.Number)
            .Append(isCurrent ? $" ({E(words.Current)})" : "")
            .Append(" · ").Append(E(words.EffectiveFrom)).Append(' ').Append(E(PageTexts.Date(version.EffectiveAt, text.Locale)))
            .Append(" · ").Append(E(KindWord(version.Kind, words)))
            .Append("</p><h1>").Append(E(text.Title)).Append("</h1>");
        if (text.Summary is { Length: > 0 } summary)
        {
            body.Append("<aside class=\"summary\"><h2>").Append(E(words.WhatChanged)).Append("</h2><p>").Append(E(summary))
                .Append("</p><p><a href=\"").Append(E($"{basePath}/v/{version.Number}/changes?lang={Uri.EscapeDataString(text.Locale)}"))
                .Append("\">").Append(E(words.ChangesSincePrevious)).Append("</a></p></aside>");
        }

        body.Append("</header><article>").Append(SafeMarkdown.ToHtml(text.Markdown)).Append("</article>");
        AppendFooter(body, version, text, basePath, words);
        return Page(text.Locale, $"{text.Title} — {words.Version} {version.Number}", body.ToString());
    }

    public static string Changes(PolicyVersion version, PolicyText text, PolicyText? previous, string basePath)
    {
        var words = PageTexts.For(text.Locale);
        var body = new StringBuilder();
        body.Append("<header><p class=\"meta\">").Append(E(words.Version)).Append(' ').Append(version.Number)
            .Append(" · ").Append(E(words.EffectiveFrom)).Append(' ').Append(E(PageTexts.Date(version.EffectiveAt, text.Locale)))
            .Append("</p><h1>").Append(E(words.ChangesSincePrevious)).Append("</h1>");
        if (text.Summary is { Length: > 0 } summary)
        {
            body.Append("<aside class=\"summary\"><h2>").Append(E(words.WhatChanged)).Append("</h2><p>").Append(E(summary)).Append("</p></aside>");
        }

        body.Append("</header>");
        if (previous is null)
        {
            body.Append("<p>").Append(E(words.FirstVersion)).Append("</p>");
        }
        else
        {
            body.Append("<ol class=\"diff\">");
            foreach (var (kind, line) in LineDiff.Compute(previous.Markdown, text.Markdown))
            {
                var (tag, css) = kind switch
                {
                    LineDiff.Kind.Added => ("ins", "added"),
                    LineDiff.Kind.Removed => ("del", "removed"),
                    _ => ("span", "same"),
                };
                body.Append("<li class=\"").Append(css).Append("\"><").Append(tag).Append('>').Append(E(line)).Append("</").Append(tag).Append("></li>");
            }

            body.Append("</ol>");
        }

        AppendFooter(body, version, text, basePath, words);
        return Page(text.Locale, $"{words.ChangesSincePrevious} — {words.Version} {version.Number}", body.ToString());
    }

    public static string List(IReadOnlyList<PolicyVersion> versions, PolicyVersion? current, string locale, string basePath)
    {
        var words = PageTexts.For(locale);
        var body = new StringBuilder("<header><h1>").Append(E(words.Versions)).Append("</h1></header><ol class=\"versions\" reversed>");
        foreach (var version in versions.Reverse())
        {
            var title = version.Texts.FirstOrDefault(text => text.Locale == locale)?.Title ?? version.Texts[0].Title;
            body.Append("<li><a href=\"").Append(E($"{basePath}/v/{version.Number}?lang={Uri.EscapeDataString(locale)}")).Append("\">")
                .Append(E(words.Version)).Append(' ').Append(version.Number).Append(" — ").Append(E(title)).Append("</a> · ")
                .Append(E(words.EffectiveFrom)).Append(' ').Append(E(PageTexts.Date(version.EffectiveAt, locale)))
                .Append(version.Number == current?.Number ? $" ({E(words.Current)})" : "")
                .Append("</li>");
        }

        body.Append("</ol>");
        return Page(locale, words.Versions, body.ToString());
    }

    public static string NotFound(string locale, string detail) =>
        Page(locale, PageTexts.For(locale).NotFound, $"<h1>{E(PageTexts.For(locale).NotFound)}</h1><p>{E(detail)}</p>");

    private static void AppendFooter(StringBuilder body, PolicyVersion version, PolicyText text, string basePath, PageTexts words)
    {
        body.Append("<footer><p>").Append(E(words.PublishedOn)).Append(' ').Append(E(PageTexts.Date(version.PublishedAt, text.Locale)))
            .Append(" · <a href=\"").Append(E($"{basePath}/v/{version.Number}?lang={Uri.EscapeDataString(text.Locale)}")).Append("\">")
            .Append(E(words.Permalink)).Append("</a> · <a href=\"").Append(E($"{basePath}/versions?lang={Uri.EscapeDataString(text.Locale)}")).Append("\">")
            .Append(E(words.AllVersions)).Append("</a></p>");
        if (version.Texts.Count > 1)
        {
            body.Append("<p>").Append(E(words.Language)).Append(':');
            foreach (var other in version.Texts)
            {
                body.Append(' ').Append(other.Locale == text.Locale
                    ? $"<strong>{E(other.Locale)}</strong>"
                    : $"<a href=\"{E($"?lang={Uri.EscapeDataString(other.Locale)}")}\" hreflang=\"{E(other.Locale)}\">{E(other.Locale)}</a>");
            }

            body.Append("</p>");
        }

        body.Append("<p class=\"hash\">").Append(E(words.Fingerprint)).Append(": <code>").Append(E(text.Sha256)).Append("</code></p></footer>");
    }

    private static string Page(string locale, string title, string body) =>
        $"<!DOCTYPE html>\n<html lang=\"{E(locale)}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{E(title)}</title><link rel=\"stylesheet\" href=\"/assets/policy.css\"><link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">" +
        $"</head><body><main>{body}</main></body></html>\n";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string KindWord(PolicyVersionKind kind, PageTexts words) => kind switch
    {
        PolicyVersionKind.Material => words.Material,
        PolicyVersionKind.Notice => words.Notice,
        _ => words.Minor,
    };
}
