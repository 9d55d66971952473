using System.Security.Cryptography;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// The keys of proofs: ECDSA over NIST P-256 with SHA-256, signatures in DER (what <c>openssl dgst -sha256 -verify</c>
/// reads), key ids the lower-case hex SHA-256 of the public key's DER SubjectPublicKeyInfo.
/// </summary>
public static class ProofKeys
{
    /// <summary>The algorithm a proof's signature names.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>The largest key file read (a P-256 key in PEM is about 250 bytes).</summary>
    public const int MaxKeyFileBytes = 64 * 1024;

    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The key id of <paramref name="key"/>.</summary>
    public static string KeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>
    /// A public key read from PEM (<c>PUBLIC KEY</c>, or a private key whose public half is used); null when the text
    /// holds no P-256 key.
    /// </summary>
    public static ECDsa? ReadPublic(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (IsP256(key))
            {
                var publicOnly = ECDsa.Create();
                publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
                return publicOnly;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            // Not a key this reads: the caller says so, without echoing the text.
        }
        finally
        {
            key.Dispose();
        }

        return null;
    }

    /// <summary>
    /// The private key in <paramref name="path"/>, or why it cannot be used (the message names
    /// <see cref="ProofOptions.SigningKeyPathSetting"/> and the path, never the key).
    /// </summary>
    public static (ECDsa? Key, string? Problem) ReadPrivate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var setting = ProofOptions.SigningKeyPathSetting;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return (null, $"{setting}: no file at '{path}'.");
        }

        if (!OperatingSystem.IsWindows()
            && (file.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
        {
            return (null, $"{setting}: '{path}' is readable or writable by others than its owner (mode {Convert.ToString((int)file.UnixFileMode, 8)}): run chmod 600 on it.");
        }

        if (file.Length > MaxKeyFileBytes)
        {
            return (null, $"{setting}: '{path}' is larger than a key file ({file.Length} bytes; at most {MaxKeyFileBytes}).");
        }

        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"{setting}: '{path}' cannot be read: {exception.Message}");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (IsP256(key) && HasPrivateKey(key))
            {
                return (key, null);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            // Reported below, without the exception's text: it could quote the file.
        }

        key.Dispose();
        return (null,
            $"{setting}: '{path}' holds no ECDSA P-256 private key in PEM (generate one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out proof-key.pem).");
    }

    private static bool IsP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1");
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
