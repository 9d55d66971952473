using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>Raw HTTP helpers: the simulator's tests talk to it as any client would.</summary>
internal static class SimulatorTestSupport
{
    public static async Task<string> GetAdminTokenAsync(
        HttpClient http, KeycloakSimulator sim, string realm = KeycloakSimulator.AdminRealm, string? clientId = null, string? secret = null)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId ?? sim.AdminClientId,
            ["client_secret"] = secret ?? sim.AdminClientSecret,
        });
        using var response = await http.PostAsync(new Uri(sim.Url + "/realms/" + Uri.EscapeDataString(realm) + "/protocol/openid-connect/token"), form);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException("token request failed: " + body);
        }

        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    public static async Task<HttpClient> AdminClientAsync(KeycloakSimulator sim)
    {
        var http = new HttpClient();
        var token = await GetAdminTokenAsync(http, sim);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static string Admin(KeycloakSimulator sim, string realm, string rest = "") =>
        sim.Url + "/admin/realms/" + Uri.EscapeDataString(realm) + rest;

    public static async Task<(int Status, JsonNode? Json, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string url, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), response);
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient http, string url)
    {
        var (status, json, response) = await SendAsync(http, HttpMethod.Get, url);
        response.Dispose();
        if (status != 200)
        {
            throw new InvalidOperationException($"GET {url} answered {status}: {json?.ToJsonString()}");
        }

        return json!;
    }

    public static async Task<int> PutAsync(HttpClient http, string url, JsonNode body)
    {
        var (status, _, response) = await SendAsync(http, HttpMethod.Put, url, body);
        response.Dispose();
        return status;
    }

    public static string[] Strings(JsonNode? node) => node is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToArray() : [];
}
