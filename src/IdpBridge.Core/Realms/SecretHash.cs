using System.Security.Cryptography;
using System.Text;

namespace IdpBridge.Core.Realms;

/// <summary>
/// What IdpBridge keeps beside a secret Keycloak masks on every read (an IdP's client secret, the SMTP password): a
/// keyed hash of the secret it last wrote, so a plan can tell whether the secret in the environment changed without
/// ever reading or printing it.
/// </summary>
internal static class SecretHash
{
    /// <summary>The hash of <paramref name="secret"/>, bound to the realm and the secret's owner (an IdP alias, <c>smtpServer</c>), so the same secret elsewhere hashes differently.</summary>
    public static string Of(string realm, string owner, string secret)
    {
        var key = Encoding.UTF8.GetBytes($"idpbridge/{realm}/{owner}");
        return "hmac-sha256:" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(secret)));
    }
}
