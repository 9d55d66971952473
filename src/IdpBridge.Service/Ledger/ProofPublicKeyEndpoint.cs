using IdpBridge.Core.Ledger.Proof;

namespace IdpBridge.Service.Ledger;

/// <summary>
/// <c>GET /api/proof/public-key</c>: the public key that checks proofs of acceptance, PEM, with its key id in the
/// <c>IdpBridge-Key-Id</c> header. Public (it proves nothing by itself and reveals nothing): whoever holds a proof
/// fetches it once and checks offline. One key for every realm the service administers. 404 without a signing key.
/// </summary>
internal static class ProofPublicKeyEndpoint
{
    /// <summary>The header that carries the key id.</summary>
    public const string KeyIdHeader = "IdpBridge-Key-Id";

    public static void MapProofPublicKey(this WebApplication app) => app.MapGet("/api/proof/public-key", (HttpContext http, ProofSigningKey key) =>
    {
        if (!key.IsConfigured)
        {
            return TypedResults.Problem(
                $"The service has no signing key for proofs ({ProofOptions.SigningKeyPathSetting} is not set).",
                statusCode: StatusCodes.Status404NotFound,
                title: "No signing key");
        }

        http.Response.Headers[KeyIdHeader] = key.KeyId;
        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Text(key.PublicKeyPem() + "\n", "application/x-pem-file");
    });
}
