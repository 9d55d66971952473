using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.KeycloakLauncher;

namespace IdpBridge.Testing.RealKeycloak;

/// <summary>What the admin API answered: status, JSON body (null when empty or not JSON) and the Location header.</summary>
public sealed record AdminResponse(HttpStatusCode Status, JsonNode? Body, string Text, Uri? Location)
{
    /// <summary>The last segment of <see cref="Location"/>: the id of what a POST created.</summary>
    public string CreatedId => Location?.Segments[^1] ?? throw new InvalidOperationException($"No Location header ({Status}): {Text}");
}

/// <summary>
/// Raw JSON access to a Keycloak Admin REST API with an admin client of <c>master</c> (client-credentials grant): for
/// test set-up and for reading state back independently of IdpBridge's own client, on the real server or on the
/// simulator (the differential tests send both the same requests). Paths are relative to <c>/admin/</c>
/// (e.g. <c>realms/x/users</c>).
/// </summary>
public sealed class AdminRest : IDisposable
{
    private readonly Uri baseUrl;
    private readonly string clientId;
    private readonly string clientSecret;
    private readonly HttpClient http;
    private readonly SemaphoreSlim tokenLock = new(1, 1);
    private string? token;
    private DateTimeOffset tokenUntil;

    /// <summary>A client of the real <paramref name="server"/>'s admin API, with its bootstrap admin client.</summary>
    public AdminRest(KeycloakServer server)
        : this((server ?? throw new ArgumentNullException(nameof(server))).BaseUrl, server.AdminClientId, server.AdminClientSecret)
    {
    }

    /// <summary>A client of the admin API at <paramref name="baseUrl"/> (with any path prefix such as <c>/auth</c>).</summary>
    public AdminRest(Uri baseUrl, string clientId, string clientSecret)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        this.baseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        http = new HttpClient { BaseAddress = new Uri(this.baseUrl, "admin/"), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>GET; the JSON body (throws unless 2xx).</summary>
    public async Task<JsonNode?> GetAsync(string path) => (await SendAsync(HttpMethod.Get, path).ConfigureAwait(false)).Body;

    /// <summary>Sends a request (with a JSON body when given); throws unless 2xx when <paramref name="ensureSuccess"/>.</summary>
    public Task<AdminResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, bool ensureSuccess = true) =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ensureSuccess);

    /// <summary>Sends a request with a <c>text/plain</c> body (a realm text); throws unless 2xx when <paramref name="ensureSuccess"/>.</summary>
    public Task<AdminResponse> SendTextAsync(HttpMethod method, string path, string text, bool ensureSuccess = true) =>
        SendAsync(method, path, new StringContent(text, Encoding.UTF8, "text/plain"), ensureSuccess);

    private async Task<AdminResponse> SendAsync(HttpMethod method, string path, HttpContent? content, bool ensureSuccess)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync().ConfigureAwait(false));
        request.Content = content;

        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            json = JsonNode.Parse(text);
        }

        var result = new AdminResponse(response.StatusCode, json, text, response.Headers.Location);
        if (ensureSuccess && !response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} /admin/{path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return result;
    }

    /// <summary>Creates a realm (<c>POST realms</c>) from <paramref name="representation"/>.</summary>
    public Task<AdminResponse> CreateRealmAsync(JsonObject representation) => SendAsync(HttpMethod.Post, "realms", representation);

    /// <summary>Deletes a realm when it exists.</summary>
    public Task<AdminResponse> DeleteRealmAsync(string realm) =>
        SendAsync(HttpMethod.Delete, $"realms/{Uri.EscapeDataString(realm)}", ensureSuccess: false);

    /// <summary>Creates a user through <c>POST users</c> (validated, default roles granted) and returns its id.</summary>
    public async Task<string> CreateUserAsync(string realm, JsonObject user) =>
        (await SendAsync(HttpMethod.Post, $"realms/{Uri.EscapeDataString(realm)}/users", user).ConfigureAwait(false)).CreatedId;

    /// <summary>
    /// Imports users in bulk through <c>POST partialImport</c>, which does not validate them against the user profile
    /// (as older versions and LDAP syncs leave data) and grants no default role unless a user lists it.
    /// </summary>
    public Task<AdminResponse> ImportUsersAsync(string realm, JsonArray users) =>
        SendAsync(HttpMethod.Post, $"realms/{Uri.EscapeDataString(realm)}/partialImport", new JsonObject
        {
            ["ifResourceExists"] = "FAIL",
            ["users"] = users,
        });

    /// <summary>Every user of a realm, full representations, read page by page.</summary>
    public async Task<List<JsonObject>> AllUsersAsync(string realm, int pageSize = 500)
    {
        var users = new List<JsonObject>();
        for (var first = 0; ; first += pageSize)
        {
            var page = (await GetAsync($"realms/{Uri.EscapeDataString(realm)}/users?briefRepresentation=false&first={first}&max={pageSize}").ConfigureAwait(false))!.AsArray();
            users.AddRange(page.Select(user => user!.AsObject()));
            if (page.Count < pageSize)
            {
                return users;
            }
        }
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose()
    {
        http.Dispose();
        tokenLock.Dispose();
    }

    private async Task<string> TokenAsync()
    {
        await tokenLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (token is not null && tokenUntil > TimeProvider.System.GetUtcNow())
            {
                return token;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
            });
            using var response = await http.PostAsync(new Uri(baseUrl, "realms/master/protocol/openid-connect/token"), form).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The admin token request answered {(int)response.StatusCode}: {text}");
            }

            var json = JsonNode.Parse(text)!;
            token = json["access_token"]!.GetValue<string>();
            // Refresh well before expiry: master's tokens live 60 s by default.
            tokenUntil = TimeProvider.System.GetUtcNow().AddSeconds(Math.Max(5, json["expires_in"]!.GetValue<int>() - 15));
            return token;
        }
        finally
        {
            tokenLock.Release();
        }
    }
}
