using IdpBridge.Core.Ledger.Integrity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// <c>GET /api/admin/realms/{realm}/ledger/verify</c>: what <c>idpbridge ledger verify</c> reports, as JSON (200 whether
/// intact or not: the check ran; <c>intact</c> and <c>tampering</c> say what it found). Behind the ledger group's
/// realm-bound admin authorization.
/// </summary>
internal static class LedgerVerifyEndpoint
{
    public static async Task<Ok<LedgerVerification>> VerifyAsync(string realm, LedgerVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAsync(realm, cancellationToken).ConfigureAwait(false));
}
