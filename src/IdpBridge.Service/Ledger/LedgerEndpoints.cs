using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Service.AdminApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// The acceptance record over HTTP, admins only: <c>/api/admin/realms/{realm}/ledger/...</c> (JSON and streamed
/// exports, bearer tokens) and the read-only page <c>/admin/realms/{realm}/ledger</c> (a bearer token, or a browser
/// signed in through Keycloak).
/// </summary>
internal static class LedgerEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapLedger(this WebApplication app)
    {
        var api = app.MapGroup("/api/admin/realms/{realm}/ledger").RequireAuthorization(AdminAuthentication.AdminPolicy);
        api.MapPost("/sync", SyncAsync);
        api.MapGet("/users/{user}", HistoryAsync);
        api.MapGet("/stats", (string realm, LedgerReport report, CancellationToken cancellationToken) => StatsAsync(realm, null, report, cancellationToken));
        api.MapGet("/versions/{number:int}/stats",
            (string realm, int number, LedgerReport report, CancellationToken cancellationToken) => StatsAsync(realm, number, report, cancellationToken));
        api.MapGet("/export", ExportAsync);
        api.MapGet("/verify", LedgerVerifyEndpoint.VerifyAsync);
        api.MapGet("/proof", LedgerProofEndpoint.ProofAsync);
        app.MapProofPublicKey();
        app.MapGet("/admin/realms/{realm}/ledger", PageAsync).RequireAuthorization(AdminAuthentication.AdminPagePolicy);
    }

    private static async Task<Results<Ok<LedgerSyncResult>, ProblemHttpResult>> SyncAsync(string realm, LedgerSync sync, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await sync.SyncAsync(realm, cancellationToken).ConfigureAwait(false));
        }
        catch (KeycloakException exception) when (exception.IsNotFound)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status404NotFound, title: "No such realm");
        }
    }

    private static async Task<Ok<List<RecordView>>> HistoryAsync(string realm, string user, IAcceptanceLedger ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ledger.ReadAsync(new LedgerQuery { Realm = realm, User = user }, cancellationToken)
            .Select(RecordView.From).ToListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<VersionReport>, ProblemHttpResult>> StatsAsync(string realm, int? number, LedgerReport report, CancellationToken cancellationToken)
    {
        var found = await report.ForVersionAsync(realm, number, cancellationToken).ConfigureAwait(false);
        return found is null
            ? TypedResults.Problem(
                number is null ? $"No version of realm '{realm}''s terms policy is in force." : $"Realm '{realm}''s terms policy has no version {number}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "No such version")
            : TypedResults.Ok(found);
    }

    private static async Task<IResult> ExportAsync(
        string realm, string? format, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, IAcceptanceLedger ledger, CancellationToken cancellationToken)
    {
        LedgerExportFormat? chosen = format switch
        {
            "csv" or null => LedgerExportFormat.Csv,
            "jsonl" => LedgerExportFormat.Jsonl,
            _ => null,
        };
        if (chosen is not { } exportFormat)
        {
            return TypedResults.Problem("format is csv or jsonl.", statusCode: StatusCodes.Status400BadRequest, title: "Unknown format");
        }

        var csv = exportFormat == LedgerExportFormat.Csv;
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"ledger-{Uri.EscapeDataString(realm)}.{(csv ? "csv" : "jsonl")}\"";
        http.Response.Headers.CacheControl = "no-store";
        var records = ledger.ReadAsync(new LedgerQuery { Realm = realm, From = from, To = to }, cancellationToken);
        await LedgerExport.WriteAsync(records, http.Response.Body, exportFormat, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    private static async Task<IResult> PageAsync(
        string realm, int? version, string? user, HttpContext http, LedgerReport report, IAcceptanceLedger ledger, IPolicyStore policies,
        IOptions<PolicyOptions> policyOptions, CancellationToken cancellationToken)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        var encode = HtmlEncoder.Default;
        var policy = policyOptions.Value.TermsPolicy;
        var versions = await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        var found = await report.ForVersionAsync(realm, version, cancellationToken).ConfigureAwait(false);
        var html = new StringBuilder(16_384);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<title>Acceptance record — {encode.Encode(realm)}</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/policy.css\"><link rel=\"icon\" href=\"/assets/icon.svg\"></head><body><main>")
            .Append(CultureInfo.InvariantCulture, $"<h1>Acceptance record of realm {encode.Encode(realm)}</h1>")
            .Append("<p><a href=\"signout\">Sign out</a></p>");
        if (versions.Count > 0)
        {
            html.Append("<nav><p>Versions of ").Append(encode.Encode(policy)).Append(':');
            foreach (var item in versions)
            {
                html.Append(CultureInfo.InvariantCulture, $" <a href=\"?version={item.Number}\">v{item.Number}</a>");
            }

            html.Append("</p></nav>");
        }

        if (found is null)
        {
            html.Append("<p>No version of the terms policy ").Append(version is null ? "is in force." : "has that number.").Append("</p>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{encode.Encode(found.Policy)} version {found.Version}{(found.InForce ? " (in force)" : "")}</h2>")
                .Append(CultureInfo.InvariantCulture, $"<p>Effective {LedgerExport.Time(found.EffectiveAt)}, content hash <code>{encode.Encode(found.ContentHash)}</code>.</p>")
                .Append("<table><tbody>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Accepted</th><td>{found.AcceptedUsers} users</td></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Declined, not accepted since</th><td>{found.DeclinedUsers} users</td></tr>")
                .Append(found.AcknowledgedUsers > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Acknowledged (a notice)</th><td>{found.AcknowledgedUsers} users</td></tr>")
                    : "")
                .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">Pending (carry the terms action)</th><td>{found.PendingUsers} enabled users</td></tr>")
                .Append(CultureInfo.InvariantCulture,
                    $"<tr><th scope=\"row\">Share of enabled users who accepted</th>" +
                    $"<td>{ShareChart.Percent(found.Share)} ({found.EnabledAccepted} of {found.EnabledUsers})</td></tr>")
                .Append("</tbody></table>")
                .Append("<figure>").Append(ShareChart.Render(found.Series, $"Share of enabled users who accepted version {found.Version}, by day"))
                .Append("<figcaption>Share of today's enabled users who had accepted, at the end of each day (UTC).</figcaption></figure>");
        }

        html.Append("<h2>A user's history</h2><form method=\"get\"><label>User id or username <input name=\"user\" value=\"")
            .Append(encode.Encode(user ?? "")).Append("\"></label>");
        if (version is { } chosen)
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"version\" value=\"{chosen}\">");
        }

        html.Append(" <button type=\"submit\">Show</button></form>");
        if (user is { Length: > 0 })
        {
            var records = await ledger.ReadAsync(new LedgerQuery { Realm = realm, User = user }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                html.Append("<p>The record holds nothing for this user.</p>");
            }
            else
            {
                html.Append(
                    "<table><thead><tr><th>When (UTC)</th><th>Decision</th><th>Version</th><th>Username</th><th>Client</th><th>Address</th>" +
                    "<th>Learned from</th><th>Language shown</th></tr></thead><tbody>");
                foreach (var record in records)
                {
                    html.Append("<tr><td>").Append(LedgerExport.Time(record.OccurredAt))
                        .Append("</td><td>").Append(record.Decision.ToString().ToLowerInvariant())
                        .Append("</td><td>").Append(record.VersionNumber is { } number ? "v" + number.ToString(CultureInfo.InvariantCulture) : "—")
                        .Append("</td><td>").Append(encode.Encode(record.Username ?? ""))
                        .Append("</td><td>").Append(encode.Encode(record.ClientId ?? "—"))
                        .Append("</td><td>").Append(encode.Encode(record.IpAddress ?? "—"))
                        .Append("</td><td>").Append(record.Source.ToString().ToLowerInvariant())
                        .Append("</td><td>").Append(encode.Encode(record.LocaleShown ?? "—")).Append("</td></tr>");
                }

                html.Append("</tbody></table>");
            }
        }

        html.Append("</main></body></html>");
        return TypedResults.Text(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>A record as the admin API shows it.</summary>
    internal sealed record RecordView(
        long Id, string UserId, string? Username, string Policy, int? Version, string? ContentHash, string Decision, DateTimeOffset OccurredAt,
        string? ClientId, string? IpAddress, string Source, string? KeycloakEventId, string? LocaleShown)
    {
        public static RecordView From(AcceptanceRecord record) => new(
            record.Id, record.UserId, record.Username, record.Policy, record.VersionNumber, record.ContentHash,
            record.Decision.ToString().ToLowerInvariant(), record.OccurredAt, record.ClientId, record.IpAddress,
            record.Source.ToString().ToLowerInvariant(), record.KeycloakEventId, record.LocaleShown);
    }
}
