using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>What checking a proof file found.</summary>
/// <param name="Problems">What failed, in words; empty when the proof is valid.</param>
/// <param name="Signed">The proof read from the file; null when the file holds none.</param>
/// <param name="PublicKeyId">The id of the public key checked against.</param>
/// <param name="IsPage">Whether the file is the HTML page (else JSON).</param>
public sealed record ProofVerification(IReadOnlyList<string> Problems, SignedAcceptanceProof? Signed, string PublicKeyId, bool IsPage)
{
    /// <summary>True when nothing failed.</summary>
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// Checks a proof file offline with the public key alone: the signature over the canonical bytes of the embedded
/// proof (<see cref="CanonicalJson"/>), the key id, the proof's own hashes (<see cref="ProofChecks"/>) and, for the
/// page, that the page is exactly the one the signed proof renders to. A JSON file may be re-indented; a page may not
/// change at all.
/// </summary>
public static class ProofVerifier
{
    /// <summary>The largest file read (a proof holds every locale's text of a version: at most 1 MiB each).</summary>
    public const int MaxFileBytes = 32 * 1024 * 1024;

    /// <summary>Checks <paramref name="file"/> (a proof's JSON or its page) against <paramref name="publicKey"/>.</summary>
    public static ProofVerification Verify(byte[] file, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(publicKey);
        var keyId = ProofKeys.KeyId(publicKey);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            return Fail("the file is not UTF-8 text", null, keyId, false);
        }

        var isPage = text.TrimStart().StartsWith('<');
        var json = isPage ? Embedded(text) : text;
        if (json is null)
        {
            return Fail("the page holds no embedded proof (<script type=\"application/json\" id=\"idpbridge-proof\">)", null, keyId, true);
        }

        byte[] canonical;
        SignedAcceptanceProof? signed;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("proof", out var proofElement))
            {
                return Fail("the file is not an IdpBridge proof: it has no \"proof\" object", null, keyId, isPage);
            }

            canonical = CanonicalJson.Serialize(proofElement);
            signed = document.RootElement.Deserialize(ProofJsonContext.Default.SignedAcceptanceProof);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return Fail($"the file is not an IdpBridge proof: {exception.Message}", null, keyId, isPage);
        }

        if (signed is null)
        {
            return Fail("the file is not an IdpBridge proof", null, keyId, isPage);
        }

        var problems = new List<string>();
        var proof = signed.Proof;
        if (proof.Type != AcceptanceProof.TypeName)
        {
            problems.Add($"the document's type is '{proof.Type}', not {AcceptanceProof.TypeName}");
        }

        if (!string.Equals(proof.KeyId, keyId, StringComparison.Ordinal))
        {
            problems.Add($"the proof names signing key {proof.KeyId}, but the public key given is {keyId}");
        }

        if (signed.Signature.Algorithm != ProofKeys.Algorithm)
        {
            problems.Add($"the signature's algorithm is '{signed.Signature.Algorithm}', not {ProofKeys.Algorithm}");
        }
        else if (!SignatureHolds(canonical, signed.Signature.Value, publicKey))
        {
            problems.Add("the signature does not match the document: it was changed after signing, or signed by another key");
        }

        problems.AddRange(ProofChecks.Check(proof));
        if (isPage && problems.Count == 0 && !string.Equals(AcceptanceProofPage.Render(signed), text, StringComparison.Ordinal))
        {
            problems.Add("the page is not the one its signed proof renders to: its visible text was changed");
        }

        return new ProofVerification(problems, signed, keyId, isPage);
    }

    private static bool SignatureHolds(byte[] canonical, string value, ECDsa publicKey)
    {
        var signature = new byte[value.Length];
        return Convert.TryFromBase64String(value, signature, out var length)
            && publicKey.VerifyData(canonical, signature.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static string? Embedded(string page)
    {
        var start = page.IndexOf(AcceptanceProofPage.ScriptStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += AcceptanceProofPage.ScriptStart.Length;
        var end = page.IndexOf("</script>", start, StringComparison.Ordinal);
        return end < 0 ? null : page[start..end];
    }

    private static ProofVerification Fail(string problem, SignedAcceptanceProof? signed, string keyId, bool isPage) => new([problem], signed, keyId, isPage);
}
