using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tuned;

/// <summary>One HttpClient on one SocketsHttpHandler, with one client-credentials token, for the admin API of one realm.</summary>
internal sealed class AdminSession : IDisposable
{
    private AdminSession(HttpClient http) => Http = http;

    /// <summary>Based at <c>{url}/admin/realms/</c>; relative paths start with the realm.</summary>
    public HttpClient Http { get; }

    public static async Task<AdminSession> OpenAsync(string url, string clientId, string secret)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ActivityHeadersPropagator = null,
        })
        {
            BaseAddress = new Uri($"{url.TrimEnd('/')}/admin/realms/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        using var token = await http.PostAsync(
            new Uri($"{url.TrimEnd('/')}/realms/master/protocol/openid-connect/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = secret,
            }));
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return new AdminSession(http);
    }

    /// <summary>Sends a request and fails with Keycloak's answer unless it succeeded; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return response;
    }

    /// <summary>A JSON document from a GET.</summary>
    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await JsonDocument.ParseAsync(stream);
    }

    public void Dispose() => Http.Dispose();
}
