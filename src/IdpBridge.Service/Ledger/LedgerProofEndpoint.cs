using System.Text.Json;
using IdpBridge.Core.Ledger.Proof;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// <c>GET /api/admin/realms/{realm}/ledger/proof?user=U&amp;version=N&amp;format=json|html</c>: what
/// <c>idpbridge ledger proof</c> makes, behind the ledger group's realm-bound admin authorization. JSON by default; the
/// page with <c>format=html</c>, or without a format when the request accepts <c>text/html</c>. 404 for a user or version
/// the record does not know, 409 for a decline or no acceptance (or a record that cannot be proved), 503 without a
/// signing key.
/// </summary>
internal static class LedgerProofEndpoint
{
    private const int MaxUserLength = 255;

    public static async Task<IResult> ProofAsync(
        string realm, string? user, int? version, string? format, HttpContext http, AcceptanceProofIssuer issuer, ProofSigningKey key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user) || user.Length > MaxUserLength || user.Any(char.IsControl))
        {
            return TypedResults.Problem($"user is a user id or username of 1 to {MaxUserLength} characters.", statusCode: StatusCodes.Status400BadRequest, title: "Bad user");
        }

        if (version is < 1)
        {
            return TypedResults.Problem("version is a version number, 1 or more.", statusCode: StatusCodes.Status400BadRequest, title: "Bad version");
        }

        bool? html = format switch
        {
            "json" => false,
            "html" => true,
            null => http.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true),
            _ => null,
        };
        if (html is not { } page)
        {
            return TypedResults.Problem("format is json or html.", statusCode: StatusCodes.Status400BadRequest, title: "Unknown format");
        }

        if (!key.IsConfigured)
        {
            return TypedResults.Problem(
                $"The service has no signing key for proofs: set {ProofOptions.SigningKeyPathSetting}.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No signing key");
        }

        ProofIssue issue;
        try
        {
            issue = await issuer.IssueAsync(realm, user, version, cancellationToken).ConfigureAwait(false);
        }
        catch (ProofRefusedException refused)
        {
            return Refused(refused);
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (!page)
        {
            return TypedResults.Text(ProofJson.File(issue.Signed), "application/json; charset=utf-8");
        }

        http.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src {AcceptanceProofPage.StyleSource}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(AcceptanceProofPage.Render(issue.Signed), "text/html; charset=utf-8");
    }

    // The reason as Core says it, the next step for an HTTP caller (the admin API's own routes, never a CLI command),
    // and both as codes for a program.
    private static IResult Refused(ProofRefusedException refused)
    {
        var (status, title) = refused.Refusal switch
        {
            ProofRefusal.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            ProofRefusal.NotAccepted => (StatusCodes.Status409Conflict, "Not accepted"),
            _ => (StatusCodes.Status409Conflict, "Cannot be proved"),
        };
        var realm = Uri.EscapeDataString(refused.Realm);
        var next = refused.NextStep switch
        {
            ProofNextStep.SyncRecord => $" The record may not hold the latest events yet: POST /api/admin/realms/{realm}/ledger/sync, then ask again.",
            ProofNextStep.VerifyRecord => $" GET /api/admin/realms/{realm}/ledger/verify says what was altered.",
            ProofNextStep.GiveUserId => " Name the user by id.",
            _ => "",
        };
        return TypedResults.Problem(refused.Message + next, statusCode: status, title: title, extensions: new Dictionary<string, object?>
        {
            ["code"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(refused.Refusal.ToString()),
            ["nextStep"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(refused.NextStep.ToString()),
        });
    }
}
