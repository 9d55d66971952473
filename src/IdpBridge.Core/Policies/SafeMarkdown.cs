using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Renders a policy's Markdown to HTML that is safe to serve: raw HTML in the document is shown as text, never as
/// markup; images become plain links (nothing is fetched from elsewhere); links other than http(s), mailto and
/// relative ones (e.g. <c>javascript:</c>) lose their target.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoIdentifiers()
        .UsePipeTables()
        .UseAutoLinks()
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>, safe to put in a page (the public policy page and the proof of acceptance use it).</summary>
    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = null;
            }

            if (link.IsImage)
            {
                // An image would load from wherever its URL points: show the link instead.
                link.IsImage = false;
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().Where(autolink => !IsSafeUrl(autolink.Url)).ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        return document.ToHtml(Pipeline);
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.RelativeOrAbsolute, out var parsed))
        {
            return false;
        }

        return !parsed.IsAbsoluteUri
            ? !url.TrimStart().StartsWith("//", StringComparison.Ordinal)
            : parsed.Scheme is "http" or "https" or "mailto";
    }
}
