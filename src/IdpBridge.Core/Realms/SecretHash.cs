using System.Security.Cryptography;
using System.Text;

namespace IdpBridge.Core.Realms;

/// <summary>
/// What IdpBridge keeps beside a secret Keycloak masks on every read (an IdP's client secret, the SMTP password): a
/// keyed hash of the secret it last wrote, so a plan can tell whether the secret in the environment changed without
/// ever reading or printing it.
/// </summary>
/// <remarks>
/// Two schemes, told apart by their prefix. With <see cref="ProvisioningOptions.SecretHashKey"/> set
/// (<see cref="KeyedPrefix"/>): HMAC-SHA256 of the secret under a key derived from the configured key, the realm and
/// the owner, which no one without the configured key can check a guess against. Without it
/// (<see cref="PublicPrefix"/>, as before): HMAC-SHA256 keyed by the public string <c>idpbridge/{realm}/{owner}</c>,
/// which anyone who can read the realm's config can test guesses against. A stored hash in the other scheme, or
/// under another key, differs from the wanted one, so the secret is written once again with the new hash.
/// </remarks>
internal sealed class SecretHash
{
    /// <summary>The prefix of a hash keyed by the configured key.</summary>
    public const string KeyedPrefix = "hmac-sha256-keyed:";

    /// <summary>The prefix of a hash keyed by a public string (no key configured).</summary>
    public const string PublicPrefix = "hmac-sha256:";

    private readonly byte[]? key;

    /// <summary>Hashes with <paramref name="key"/>, or in the public scheme when it is null.</summary>
    public SecretHash(string? key) => this.key = key is null ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>The public scheme: what IdpBridge wrote before a key could be configured.</summary>
    public static SecretHash Public { get; } = new(null);

    /// <summary>True when a key is configured.</summary>
    public bool IsKeyed => key is not null;

    /// <summary>
    /// The hash of <paramref name="secret"/>, bound to the realm and the secret's owner (an IdP alias, <c>smtpServer</c>), so the
    /// same secret elsewhere hashes differently.
    /// </summary>
    public string Of(string realm, string owner, string secret)
    {
        var binding = Encoding.UTF8.GetBytes($"idpbridge/{realm}/{owner}");
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        return key is null
            ? PublicPrefix + Convert.ToBase64String(HMACSHA256.HashData(binding, secretBytes))
            : KeyedPrefix + Convert.ToBase64String(HMACSHA256.HashData(HMACSHA256.HashData(key, binding), secretBytes));
    }

    /// <summary>Why a stored hash differs from the wanted one when the scheme alone explains it, for the plan; null otherwise.</summary>
    public string? SchemeChange(string? stored) => stored switch
    {
        null => null,
        _ when IsKeyed && stored.StartsWith(PublicPrefix, StringComparison.Ordinal) =>
            "the stored secret hash is unkeyed: the secret is written again with a hash keyed by IdpBridge:Provisioning:SecretHashKey",
        _ when !IsKeyed && stored.StartsWith(KeyedPrefix, StringComparison.Ordinal) =>
            "the stored secret hash is keyed but no IdpBridge:Provisioning:SecretHashKey is set: the secret is written again with an unkeyed hash",
        _ => null,
    };
}
