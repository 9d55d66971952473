using System.Text;
using System.Text.Json;
using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.Options;

namespace IdpBridge.Keycloak.SignIn;

/// <summary>
/// Signs in as IdpBridge's admin client and says what the token holds (<see cref="AdminTokenAccess"/>), for a check of
/// the connection (<c>idpbridge doctor</c>). The token itself and the client's secret never leave this class.
/// </summary>
public sealed class KeycloakSignIn
{
    private readonly KeycloakTokenProvider tokens;
    private readonly IOptionsMonitor<KeycloakOptions> options;

    internal KeycloakSignIn(KeycloakTokenProvider tokens, IOptionsMonitor<KeycloakOptions> options)
    {
        this.tokens = tokens;
        this.options = options;
    }

    /// <summary>The token endpoint signed in at (no secret in it), for reports.</summary>
    public Uri TokenEndpoint => options.CurrentValue.TokenEndpoint;

    /// <summary>
    /// Gets a token with the client-credentials grant (or the cached one) and reads its payload. Throws
    /// <see cref="KeycloakException"/> as every call does: unreachable, or the token endpoint's refusal
    /// (<c>invalid_client</c>, <c>unauthorized_client</c>, 404 for a realm that does not exist).
    /// </summary>
    public async Task<AdminTokenAccess> SignInAsync(CancellationToken cancellationToken = default)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return Read(token);
    }

    /// <summary>The claims of a JWT's payload; empty roles when the token is not a JWT (an opaque token of a proxy).</summary>
    internal static AdminTokenAccess Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || Decode(parts[1]) is not { } payload)
        {
            return new AdminTokenAccess(null, null, null, [], new Dictionary<string, IReadOnlyList<string>>());
        }

        using (payload)
        {
            var root = payload.RootElement;
            var clientRoles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("resource_access", out var resources) && resources.ValueKind == JsonValueKind.Object)
            {
                foreach (var resource in resources.EnumerateObject())
                {
                    clientRoles[resource.Name] = Roles(resource.Value);
                }
            }

            return new AdminTokenAccess(
                Text(root, "iss"),
                Text(root, "azp"),
                root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
                root.TryGetProperty("realm_access", out var realmAccess) ? Roles(realmAccess) : [],
                clientRoles);
        }
    }

    private static JsonDocument? Decode(string segment)
    {
        try
        {
            var padded = segment.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Roles(JsonElement access) =>
        access.ValueKind == JsonValueKind.Object && access.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? roles.EnumerateArray().Where(role => role.ValueKind == JsonValueKind.String).Select(role => role.GetString()!).ToList()
            : [];
}
