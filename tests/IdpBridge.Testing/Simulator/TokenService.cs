using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdpBridge.Testing.Simulator;

/// <summary>What the simulator remembers about a token it issued.</summary>
internal sealed record IssuedToken(
    string Realm,
    DateTimeOffset ExpiresAt,
    long Generation,
    string? Subject,
    string? ClientId,
    IReadOnlyList<string> RealmRoles,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ResourceRoles);

/// <summary>Signs RS256 access tokens with one RSA key per simulator and remembers them for validation.</summary>
internal sealed class TokenService : IDisposable
{
    private readonly RSA rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, IssuedToken> issued = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider time;
    private long generation;

    public TokenService(TimeProvider time)
    {
        this.time = time;
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..22];
        SigningKey = new RsaSecurityKey(rsa) { KeyId = KeyId };
        Credentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public RsaSecurityKey SigningKey { get; }

    private SigningCredentials Credentials { get; }

    /// <summary>Signs <paramref name="payload"/> (exp/iat/jti filled in when absent) and remembers the token.</summary>
    public string Issue(string realm, JsonObject payload, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        payload["exp"] ??= expires.ToUnixTimeSeconds();
        payload["iat"] ??= now.ToUnixTimeSeconds();
        payload["jti"] ??= "onrtcc:" + Guid.NewGuid();
        var exp = DateTimeOffset.FromUnixTimeSeconds(SimJson.Long(payload, "exp") ?? expires.ToUnixTimeSeconds());
        var token = handler.CreateToken(payload.ToJsonString(), Credentials);
        var realmRoles = payload["realm_access"] is JsonObject realmAccess ? SimJson.StringList(realmAccess["roles"]) ?? [] : [];
        var resourceRoles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (payload["resource_access"] is JsonObject resources)
        {
            foreach (var (client, access) in resources)
            {
                resourceRoles[client] = access is JsonObject accessObject ? SimJson.StringList(accessObject["roles"]) ?? [] : [];
            }
        }

        issued[token] = new IssuedToken(
            realm, exp, Interlocked.Read(ref generation), SimJson.Str(payload, "sub"), SimJson.Str(payload, "azp"), realmRoles, resourceRoles);
        return token;
    }

    /// <summary>The token's record when the simulator issued it, it is unexpired (TimeProvider) and not revoked.</summary>
    public IssuedToken? Validate(string token)
    {
        if (!issued.TryGetValue(token, out var found))
        {
            return null;
        }

        if (found.Generation != Interlocked.Read(ref generation) || time.GetUtcNow() >= found.ExpiresAt)
        {
            return null;
        }

        return found;
    }

    /// <summary>Every token issued so far is rejected from now on.</summary>
    public void RevokeAll() => Interlocked.Increment(ref generation);

    /// <summary>JWKS as <c>/protocol/openid-connect/certs</c> serves it.</summary>
    public JsonObject Jwks()
    {
        var parameters = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kid"] = KeyId,
                ["kty"] = "RSA",
                ["alg"] = "RS256",
                ["use"] = "sig",
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        };
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        _ => JsonSerializer.SerializeToNode(value),
    };

    public void Dispose() => rsa.Dispose();
}
