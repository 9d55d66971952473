using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests.AdminApi;

/// <summary>
/// What a realm needs so that people get tokens for IdpBridge's admin API from the real Keycloak, set up through its
/// admin API: the <c>idpbridge-admin</c> realm role; a public client with direct access grants and an audience mapper
/// for <c>idpbridge</c>; one like it whose tokens live one second; one without the mapper; and people with and
/// without the role. Tokens come from the realm's own token endpoint (password grant).
/// </summary>
internal sealed class RealmTokens : IDisposable
{
    /// <summary>The client whose tokens carry <c>aud: idpbridge</c>.</summary>
    public const string Client = "admin-api-test";

    /// <summary>The same, but its access tokens expire one second after they are issued.</summary>
    public const string ShortLivedClient = "admin-api-test-short";

    /// <summary>A client without the audience mapper.</summary>
    public const string NoAudienceClient = "admin-api-test-no-aud";

    /// <summary>The admin role IdpBridge checks by default (<c>IdpBridge__AdminApi__Role</c>).</summary>
    public const string AdminRole = "idpbridge-admin";

    private const string Password = "Cl4ve-de-prueba!";

    private readonly AdminRest admin;
    private readonly HttpClient http;

    private RealmTokens(AdminRest admin, Uri keycloak, string realm)
    {
        this.admin = admin;
        Realm = realm;
        http = new HttpClient { BaseAddress = new Uri($"{keycloak.ToString().TrimEnd('/')}/realms/{Uri.EscapeDataString(realm)}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Realm { get; }

    /// <summary>Creates the role (unless the realm has it) and the clients in <paramref name="realm"/>.</summary>
    public static async Task<RealmTokens> SetUpAsync(AdminRest admin, Uri keycloak, string realm)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var tokens = new RealmTokens(admin, keycloak, realm);
        // The demo realm declares the role (roles.realm); a realm made from scratch gets it here.
        var role = await admin.SendAsync(HttpMethod.Get, $"{tokens.Path}/roles/{AdminRole}", ensureSuccess: false);
        if (role.Status == System.Net.HttpStatusCode.NotFound)
        {
            await admin.SendAsync(HttpMethod.Post, $"{tokens.Path}/roles", new JsonObject { ["name"] = AdminRole, ["description"] = "IdpBridge administrator" });
        }

        await tokens.ClientAsync(Client, audience: true, lifespanSeconds: null);
        await tokens.ClientAsync(ShortLivedClient, audience: true, lifespanSeconds: 1);
        await tokens.ClientAsync(NoAudienceClient, audience: false, lifespanSeconds: null);
        return tokens;
    }

    /// <summary>
    /// Creates a person who can sign in at once (email verified, every field the profile asks for, the realm's default
    /// required actions taken off again), with the admin role or without; returns the username.
    /// </summary>
    public async Task<string> PersonAsync(string name, bool isAdmin)
    {
        var email = $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var id = await admin.CreateUserAsync(Realm, People.Representation(email, name, "Prueba", Password));
        await admin.SendAsync(HttpMethod.Put, $"{Path}/users/{id}", new JsonObject { ["requiredActions"] = new JsonArray() });
        if (isAdmin)
        {
            var role = await admin.GetAsync($"{Path}/roles/{AdminRole}");
            await admin.SendAsync(HttpMethod.Post, $"{Path}/users/{id}/role-mappings/realm", new JsonArray(role!.DeepClone()));
        }

        return email;
    }

    /// <summary>An access token for <paramref name="username"/> from <paramref name="client"/> (password grant).</summary>
    public async Task<string> TokenAsync(string username, string client = Client)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = client,
            ["username"] = username,
            ["password"] = Password,
            ["scope"] = "openid",
        });
        using var response = await http.PostAsync(new Uri("protocol/openid-connect/token", UriKind.Relative), form);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The token request of {username} to realm {Realm} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }

    public void Dispose() => http.Dispose();

    private string Path => $"realms/{Uri.EscapeDataString(Realm)}";

    private async Task ClientAsync(string clientId, bool audience, int? lifespanSeconds)
    {
        var client = new JsonObject
        {
            ["clientId"] = clientId,
            ["enabled"] = true,
            ["publicClient"] = true,
            ["standardFlowEnabled"] = false,
            ["directAccessGrantsEnabled"] = true,
            ["attributes"] = lifespanSeconds is { } seconds
                ? new JsonObject { ["access.token.lifespan"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : new JsonObject(),
        };
        if (audience)
        {
            client["protocolMappers"] = new JsonArray(new JsonObject
            {
                ["name"] = "idpbridge audience",
                ["protocol"] = "openid-connect",
                ["protocolMapper"] = "oidc-audience-mapper",
                ["config"] = new JsonObject
                {
                    ["included.custom.audience"] = "idpbridge",
                    ["access.token.claim"] = "true",
                    ["id.token.claim"] = "false",
                },
            });
        }

        await admin.SendAsync(HttpMethod.Post, $"{Path}/clients", client);
    }
}
