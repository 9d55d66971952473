using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Gets admin tokens with the client-credentials grant and caches one until shortly before it expires.
/// However many calls need a token at once, one token request is sent: the others wait for it.
/// </summary>
internal sealed class KeycloakTokenProvider(
    IHttpClientFactory httpClientFactory, IOptionsMonitor<KeycloakOptions> options, TimeProvider timeProvider)
    : IDisposable
{
    /// <summary>The named HttpClient used for the token endpoint.</summary>
    public const string HttpClientName = "IdpBridge.Keycloak.Token";

    private readonly SemaphoreSlim gate = new(1, 1);
    private CachedToken? current;

    /// <summary>A valid access token, from the cache when it is still fresh.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref current)) is { } cached)
        {
            return cached;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have renewed it while this one waited at the gate.
            if (Fresh(current) is { } renewed)
            {
                return renewed;
            }

            var token = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref current, token);
            return token.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="rejected"/> after Keycloak refused it (401). Only that token is dropped, so that
    /// many calls failing with the same token cause one renewal, not one each.
    /// </summary>
    public void Invalidate(string rejected)
    {
        var token = Volatile.Read(ref current);
        if (token is not null && token.AccessToken == rejected)
        {
            Interlocked.CompareExchange(ref current, null, token);
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    private string? Fresh(CachedToken? token) =>
        token is not null && timeProvider.GetUtcNow() < token.RenewAt ? token.AccessToken : null;

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var endpoint = settings.TokenEndpoint;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", settings.ClientId),
                new("client_secret", settings.ClientSecret),
            ]),
        };

        // Asking for a token changes nothing on the server: the grant can be repeated after a transient failure.
        request.MarkRetrySafe();
        var requestedAt = timeProvider.GetUtcNow();
        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new KeycloakException("POST", endpoint.AbsolutePath, null, null, null, exception)
            {
                Address = endpoint.GetLeftPart(UriPartial.Authority),
            };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await KeycloakException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadFromJsonAsync(KeycloakJsonContext.Default.TokenResponse, cancellationToken)
                .ConfigureAwait(false);
            if (body?.AccessToken is not { Length: > 0 } accessToken || body.ExpiresIn <= 0)
            {
                throw new KeycloakException(
                    "POST", endpoint.AbsolutePath, response.StatusCode, "the token response has no access_token or expires_in", null);
            }

            // Expiry counts from the moment the request left, so that a slow answer never makes a token look younger.
            var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
            var margin = settings.TokenRenewalMargin < lifetime / 2 ? settings.TokenRenewalMargin : lifetime / 2;
            return new CachedToken(accessToken, requestedAt + lifetime - margin);
        }
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);
}

/// <summary>The token endpoint's answer to the client-credentials grant (the fields IdpBridge uses).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);
