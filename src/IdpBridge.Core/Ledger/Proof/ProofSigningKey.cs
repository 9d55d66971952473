using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>Why no proof can be signed or no public key shown: the key is not configured, or cannot be used.</summary>
public sealed class ProofKeyException(string message) : Exception(message);

/// <summary>
/// The signing key of <see cref="ProofOptions.SigningKeyPath"/>, read once on first use. Signs a proof's canonical
/// bytes and gives out the public half; the private key never leaves this object.
/// </summary>
public sealed class ProofSigningKey(IOptions<ProofOptions> options) : IDisposable
{
    private readonly Lock gate = new();
    private ECDsa? key;
    private string? keyId;

    /// <summary>Whether a key is configured (it may still be unusable: <see cref="KeyId"/> then throws).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.SigningKeyPath);

    /// <summary>The key id (lower-case hex SHA-256 of the SubjectPublicKeyInfo).</summary>
    public string KeyId
    {
        get
        {
            lock (gate)
            {
                Load();
                return keyId!;
            }
        }
    }

    /// <summary>The public key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem()
    {
        lock (gate)
        {
            return Load().ExportSubjectPublicKeyInfoPem();
        }
    }

    /// <summary>The DER ECDSA signature over SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (gate)
        {
            return Load().SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            key?.Dispose();
            key = null;
        }
    }

    private ECDsa Load()
    {
        if (key is not null)
        {
            return key;
        }

        var path = options.Value.SigningKeyPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ProofKeyException(
                $"No signing key for proofs: set {ProofOptions.SigningKeyPathSetting} (environment IdpBridge__Proof__SigningKeyPath) to a PEM file " +
                "made with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out proof-key.pem && chmod 600 proof-key.pem");
        }

        var (loaded, problem) = ProofKeys.ReadPrivate(path);
        if (loaded is null)
        {
            throw new ProofKeyException(problem!);
        }

        key = loaded;
        keyId = ProofKeys.KeyId(loaded);
        return loaded;
    }
}
