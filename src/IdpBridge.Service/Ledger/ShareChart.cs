using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using IdpBridge.Core.Ledger;

namespace IdpBridge.Service.Ledger;

/// <summary>The share-over-time chart as inline SVG, drawn on the server: no script, nothing fetched.</summary>
internal static class ShareChart
{
    private const int Width = 640;
    private const int Height = 260;
    private const int Left = 48;
    private const int Right = 620;
    private const int Top = 16;
    private const int Bottom = 220;

    /// <summary>An <c>&lt;svg&gt;</c> element plotting <paramref name="points"/> (share 0..1 per day).</summary>
    public static string Render(IReadOnlyList<SharePoint> points, string title)
    {
        var svg = new StringBuilder(4096);
        var label = HtmlEncoder.Default.Encode(title);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" " +
            $"role=\"img\" aria-label=\"{label}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{label}</title>");
        foreach (var percent in new[] { 0, 25, 50, 75, 100 })
        {
            var y = Y(percent / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Right}\" y2=\"{y:0.#}\" stroke=\"#ccc\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">{percent}%</text>");
        }

        if (points.Count > 0)
        {
            var step = points.Count == 1 ? 0 : (double)(Right - Left) / (points.Count - 1);
            var line = new StringBuilder();
            for (var i = 0; i < points.Count; i++)
            {
                line.Append(CultureInfo.InvariantCulture, $"{Left + (i * step):0.#},{Y(points[i].Share):0.#} ");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{line.ToString().TrimEnd()}\" fill=\"none\" stroke=\"#1a5fb4\" stroke-width=\"2\"/>");
            var last = points[^1];
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Left + ((points.Count - 1) * step):0.#}\" cy=\"{Y(last.Share):0.#}\" r=\"3\" fill=\"#1a5fb4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Bottom + 18}\" font-size=\"11\" fill=\"#555\">{points[0].Day:yyyy-MM-dd}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Right}\" y=\"{Bottom + 18}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">{last.Day:yyyy-MM-dd}: {Percent(last.Share)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A share as people write it: <c>42.5%</c>.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static double Y(double share) => Bottom - (Math.Clamp(share, 0, 1) * (Bottom - Top));
}
