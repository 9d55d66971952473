using System.Net;
using System.Net.Http.Headers;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Puts the admin token on every Admin API request. On 401 it renews the token once and repeats the request
/// once: a second 401 goes back to the caller, so a revoked client never loops.
/// </summary>
internal sealed class KeycloakBearerHandler(KeycloakTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        var renewed = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
