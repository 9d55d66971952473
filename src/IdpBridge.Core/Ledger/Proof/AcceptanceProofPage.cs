using System.Net;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// A proof as a page that prints well: self-contained (its style inline, nothing loaded from elsewhere), every text
/// HTML-escaped, the policy rendered as the public policy page renders it (<see cref="SafeMarkdown"/>), and the signed
/// JSON embedded in <c>&lt;script type="application/json" id="idpbridge-proof"&gt;</c>. The page is a function of the
/// signed proof alone, so <c>verify-proof</c> checks the page too: it renders the embedded proof again and compares.
/// </summary>
public static class AcceptanceProofPage
{
    /// <summary>The start of the element that holds the signed JSON.</summary>
    public const string ScriptStart = "<script type=\"application/json\" id=\"idpbridge-proof\">";

    /// <summary>The page's whole style sheet, inline.</summary>
    public const string Style =
        "body{font-family:Georgia,'Times New Roman',serif;color:#111;background:#fff;margin:0}" +
        "main{max-width:46rem;margin:0 auto;padding:1.5rem;line-height:1.45}" +
        "h1{font-size:1.7rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #999}" +
        "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border:1px solid #bbb}" +
        "th{width:11rem;background:#f3f3f3;font-weight:600}code{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}" +
        ".lead{font-size:1.1rem}.muted{color:#555}section.text{border-top:2px solid #333;margin-top:2rem}" +
        "@page{margin:1.8cm}@media print{main{max-width:none;padding:0}section.text{break-before:page}th{background:none}a{color:inherit;text-decoration:none}}";

    /// <summary>The <c>Content-Security-Policy</c> source of <see cref="Style"/> (<c>'sha256-...'</c>), for a server that serves the page.</summary>
    public static string StyleSource { get; } = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'";

    /// <summary>The page of <paramref name="signed"/>.</summary>
    public static string Render(SignedAcceptanceProof signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var proof = signed.Proof;
        var version = proof.Version;
        var who = proof.User.Username ?? proof.User.Id;
        var html = new StringBuilder(32_768);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Proof of acceptance: ").Append(E(who)).Append(", ").Append(E(version.Policy)).Append(" version ").Append(version.Number).Append("</title>")
            .Append("<style>").Append(Style).Append("</style></head>\n<body><main>")
            .Append("<h1>Proof of acceptance</h1>")
            .Append("<p class=\"lead\"><strong>").Append(E(who)).Append("</strong> ").Append(E(proof.Decision)).Append(" version ").Append(version.Number)
            .Append(" of the <strong>").Append(E(version.Policy)).Append("</strong> policy of realm <strong>").Append(E(proof.Realm)).Append("</strong> on ")
            .Append(E(proof.OccurredAt)).Append(" (UTC).</p>\n<table><tbody>");
        Row(html, "User", $"{E(proof.User.Username ?? "(deleted before the record was read)")} <span class=\"muted\">id</span> <code>{E(proof.User.Id)}</code>");
        Row(html, "Realm", E(proof.Realm));
        Row(html, "Version", $"{E(version.Policy)} version {version.Number} ({E(version.Kind)}), published {E(version.PublishedAt)}, effective {E(version.EffectiveAt)}");
        Row(html, "Content hash", $"<code>{E(version.ContentHash)}</code> <span class=\"muted\">(SHA-256 over each language's text hash)</span>");
        Row(html, "Decision", E(proof.Decision));
        Row(html, "When (UTC)", E(proof.OccurredAt));
        Row(html, "Learned from", $"<strong>{E(proof.Source)}</strong>: {E(proof.SourceMeaning)}");
        Row(html, "Client", Known(proof.ClientId));
        Row(html, "IP address", Known(proof.IpAddress));
        Row(html, "Language shown", proof.LocaleShown is { } locale
            ? $"{E(locale)} <span class=\"muted\">(the language IdpBridge's terms step rendered the page in, as its event names it)</span>"
            : "not recorded (Keycloak's own terms step and its events do not say): every language's text in force follows");
        Row(html, "Keycloak event", Known(proof.KeycloakEventId));
        html.Append("</tbody></table>\n<h2>Integrity of the record</h2><table><tbody>");
        Row(html, "Record", $"{proof.Record.Id}, recorded {E(proof.Record.RecordedAt)}, key <code>{E(proof.Record.EventKey)}</code>");
        Row(html, "Record hash", $"<code>{E(proof.Record.RecordHash)}</code> <span class=\"muted\">({E(proof.Record.Encoding)})</span>");
        Row(html, "Previous chain hash", $"<code>{E(proof.Record.PreviousChainHash)}</code>");
        Row(html, "Chain hash", $"<code>{E(proof.Record.ChainHash)}</code>");
        var chain = proof.ChainAtIssue;
        Row(html, "Chain when issued",
            $"{(chain.Intact ? "intact" : "NOT intact")}, {chain.Records} records, "
            + $"head <code>{E(chain.HeadChainHash)}</code>{(chain.HeadId is { } head ? $" (record {head})" : "")}");
        html.Append("</tbody></table>\n<h2>Signature</h2><table><tbody>");
        Row(html, "Issued", E(proof.IssuedAt));
        Row(html, "Algorithm", $"{E(signed.Signature.Algorithm)} <span class=\"muted\">(ECDSA P-256, SHA-256, DER)</span>");
        Row(html, "Key id", $"<code>{E(proof.KeyId)}</code> <span class=\"muted\">(SHA-256 of the public key)</span>");
        Row(html, "Signature", $"<code>{E(signed.Signature.Value)}</code>");
        html.Append("</tbody></table><p class=\"muted\">Anyone can check this page offline with the public key alone: ")
            .Append("<code>idpbridge ledger verify-proof this-file.html --public-key proof-public.pem</code>. The signature covers the proof embedded in this page; ")
            .Append("the check also renders it again and compares, so any change to the page is found.</p>\n<h2>The text in force</h2>");
        foreach (var text in version.Texts)
        {
            html.Append("<section class=\"text\" lang=\"").Append(E(text.Locale)).Append("\"><h3>").Append(E(text.Title)).Append(" (").Append(E(text.Locale)).Append(")</h3>")
                .Append("<p class=\"muted\">SHA-256 <code>").Append(E(text.Sha256)).Append("</code></p>");
            if (text.Summary is { Length: > 0 } summary)
            {
                html.Append("<p><strong>What changed:</strong> ").Append(E(summary)).Append("</p>");
            }

            html.Append("<article>").Append(SafeMarkdown.ToHtml(text.Markdown)).Append("</article></section>\n");
        }

        html.Append(ScriptStart).Append(ProofJson.ForScript(signed)).Append("</script>\n</main></body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string valueHtml) =>
        html.Append("<tr><th>").Append(name).Append("</th><td>").Append(valueHtml).Append("</td></tr>");

    private static string Known(string? value) => value is null ? "<span class=\"muted\">unknown</span>" : E(value);

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
