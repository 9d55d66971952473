using System.Security.Cryptography;
using IdpBridge.Core.Ledger.Proof;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Tests.Ledger.Proof;

/// <summary>P-256 key files for tests, owner-only, in a folder of their own.</summary>
internal sealed class ProofTestKeys : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("idpbridge-proof-keys-").FullName;

    /// <summary>Writes a new private key (PKCS#8 PEM, as openssl genpkey writes it) with <paramref name="mode"/>; returns its path.</summary>
    public string Create(UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, string? pem = null)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.pem");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, pem ?? key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
        return path;
    }

    /// <summary>A signing key on a new key file.</summary>
    public ProofSigningKey CreateSigningKey() => new(Microsoft.Extensions.Options.Options.Create(new ProofOptions { SigningKeyPath = Create() }));

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
