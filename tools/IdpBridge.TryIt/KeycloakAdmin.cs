using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.TryIt;

/// <summary>Keycloak's Admin API for the demo's set-up, with a token of master's bootstrap admin client. Errors say the request and Keycloak's answer, never a body sent.</summary>
internal sealed class KeycloakAdmin : IDisposable
{
    private readonly HttpClient http;

    private KeycloakAdmin(HttpClient http) => this.http = http;

    /// <summary>Signs in to <paramref name="keycloak"/> with the client-credentials grant.</summary>
    public static async Task<KeycloakAdmin> SignInAsync(Uri keycloak, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = keycloak, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
            });
            using var response = await http.PostAsync(new Uri("realms/master/protocol/openid-connect/token", UriKind.Relative), form, cancellationToken).ConfigureAwait(false);
            await EnsureAsync(response, $"the token request of the admin client {clientId}", cancellationToken).ConfigureAwait(false);
            var token = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!["access_token"]!.GetValue<string>();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new KeycloakAdmin(http);
        }
        catch (HttpRequestException exception)
        {
            http.Dispose();
            throw new TryItException($"Keycloak at {keycloak} could not be reached: {exception.Message}", exception);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>GETs <paramref name="path"/> (relative to <c>admin/realms/</c>); null on 404.</summary>
    public async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("admin/realms/" + path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, $"GET {path.Split('?')[0]}", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="path"/> (relative to <c>admin/realms/</c>).</summary>
    public async Task SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri("admin/realms/" + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // The path names no secret; the body (a password, say) is never shown.
        await EnsureAsync(response, $"{method} {path.Split('?')[0]}", cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new TryItException($"Keycloak answered {(int)response.StatusCode} to {what}: {text[..Math.Min(text.Length, 300)]}");
        }
    }
}
