using Microsoft.AspNetCore.Http.Extensions;

namespace DelayProxy;

/// <summary>Forwards one request to the upstream and its answer back, each after the delay.</summary>
internal sealed class Forwarder(Uri upstream, TimeSpan delay, RequestCounts counts) : IDisposable
{
    // Hop-by-hop headers (RFC 9110 section 7.6.1) stay on their own connection.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    };

    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ActivityHeadersPropagator = null,
    });

    public async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        counts.Add(request.Method);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.GetEncodedPathAndQuery().TrimStart('/')));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            // The client's Host goes through, so Keycloak builds the same URLs (token issuer) as without the proxy.
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var answer = await client.SendAsync(message, context.RequestAborted);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                response.Headers[name] = values.ToArray();
            }
        }

        await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
    }

    public void Dispose() => client.Dispose();
}
