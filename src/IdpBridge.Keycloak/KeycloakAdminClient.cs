using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using IdpBridge.Keycloak.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IdpBridge.Keycloak;

/// <summary>
/// A typed client of Keycloak's Admin REST API (<c>{base}/admin/realms/...</c>), in the spirit of
/// Keycloak.AuthServices.Sdk: one method per operation, Keycloak's representations, one exception type
/// (<see cref="KeycloakException"/>). Register it with <c>services.AddKeycloakAdminClient()</c>.
/// </summary>
public sealed partial class KeycloakAdminClient(HttpClient http)
{
    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET that answers null for 404 instead of throwing.</summary>
    private async Task<T?> FindAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// GETs a JSON array and yields its items as they are parsed, never holding the whole page. An answer that breaks
    /// off midway (Keycloak died while sending it) is a <see cref="KeycloakException"/> like a refused connection.
    /// </summary>
    private async IAsyncEnumerable<T> GetArrayAsync<T>(
        string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var items = JsonSerializer.DeserializeAsyncEnumerable(stream, KeycloakJson.TypeInfo<T>(), cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (items.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (Exception exception) when (exception is IOException or HttpRequestException or JsonException)
                    {
                        throw new KeycloakException(
                            "GET", request.RequestUri?.AbsolutePath ?? path, null, $"the answer broke off midway ({exception.Message})", null, exception);
                    }

                    if (items.Current is { } item)
                    {
                        yield return item;
                    }
                }
            }
        }
    }

    /// <summary>A write with a JSON body (PUT, POST, DELETE with body) whose answer has no content we need.</summary>
    private async Task WriteAsync<TBody>(
        HttpMethod method, string path, TBody body, bool retrySafe, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonBody(body) };
        if (retrySafe)
        {
            request.MarkRetrySafe();
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A write with no body (DELETE).</summary>
    private async Task WriteAsync(HttpMethod method, string path, bool retrySafe, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (retrySafe)
        {
            request.MarkRetrySafe();
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// POST that creates a resource: Keycloak answers 201 with a <c>Location</c> whose last segment is the new id.
    /// Never retried (a lost 201 would otherwise become a duplicate or a 409).
    /// </summary>
    private async Task<string> CreateAsync<TBody>(string path, TBody body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location;
        if (location is null)
        {
            throw new KeycloakException(
                "POST", request.RequestUri?.AbsolutePath ?? path, response.StatusCode, "the created resource has no Location header", null);
        }

        var absolute = location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
        return Uri.UnescapeDataString(absolute.Segments[^1].TrimEnd('/'));
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        bool allowNotFound = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            var reason = exception switch
            {
                TimeoutRejectedException => "no answer in time (after retries)",
                BrokenCircuitException => "too many recent failures; calls are paused (circuit open)",
                _ => null,
            };
            throw new KeycloakException(
                request.Method.Method, request.RequestUri?.AbsolutePath ?? "?", null, reason, null, exception)
            {
                Address = request.RequestUri is { IsAbsoluteUri: true } sent ? sent.GetLeftPart(UriPartial.Authority) : http.BaseAddress?.GetLeftPart(UriPartial.Authority),
            };
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            throw await KeycloakException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(KeycloakJson.TypeInfo<T>(), cancellationToken).ConfigureAwait(false)
        ?? throw new KeycloakException(
            response.RequestMessage?.Method.Method ?? "GET",
            response.RequestMessage?.RequestUri?.AbsolutePath ?? "?",
            response.StatusCode,
            "the response body is empty",
            null);

    private static ByteArrayContent JsonBody<TBody>(TBody body)
    {
        // Bytes, not a stream: the 401 renewal and the retries may send the same content again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, KeycloakJson.TypeInfo<TBody>()));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static StringContent TextBody(string text) => new(text, Encoding.UTF8, "text/plain");
}
