using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdpBridge.Testing.RealKeycloak;

/// <summary>One request that went through a <see cref="RecordingProxy"/>.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query string, as sent.</param>
/// <param name="Status">What the server answered.</param>
public sealed record ProxiedRequest(string Method, string PathAndQuery, int Status)
{
    /// <summary>The path without the query string.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    /// <inheritdoc />
    public override string ToString() => $"{Method} {PathAndQuery} → {Status}";
}

/// <summary>
/// A reverse proxy on 127.0.0.1 in front of a real server that records every request passing through it: how a test
/// counts what IdpBridge sent to Keycloak without asking IdpBridge. Bodies pass unchanged; the Host header becomes the
/// server's, so the URLs and token issuers Keycloak makes are its own. Its <see cref="Target"/> can change, so that an
/// address handed out before a server exists (to Keycloak's theme, say) reaches the server a test starts later.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Host",
    };

    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly ConcurrentQueue<ProxiedRequest> requests = new();
    private Uri? target;

    private RecordingProxy(WebApplication app, HttpClient upstream, Uri? target)
    {
        this.app = app;
        this.upstream = upstream;
        this.target = target;
    }

    /// <summary>The proxy's base URL, to give IdpBridge instead of the server's.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The server requests go to; while null, every request is answered 503.</summary>
    public Uri? Target
    {
        get => Volatile.Read(ref target);
        set => Volatile.Write(ref target, value);
    }

    /// <summary>Every request so far, in the order they finished.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => requests.ToArray();

    /// <summary>The requests that change something: every method but GET, HEAD and OPTIONS, token requests excluded.</summary>
    public IReadOnlyList<ProxiedRequest> Writes => requests
        .Where(request => request.Method is not ("GET" or "HEAD" or "OPTIONS") && !request.Path.EndsWith("/protocol/openid-connect/token", StringComparison.Ordinal))
        .ToList();

    /// <summary>Forgets what was recorded.</summary>
    public void Clear() => requests.Clear();

    /// <summary>Starts a proxy to <paramref name="target"/> (none yet when null) on a free loopback port.</summary>
    public static async Task<RecordingProxy> StartAsync(Uri? target)
    {
        var app = LoopbackWebApplication.Create();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        var proxy = new RecordingProxy(app, upstream, target);
        app.Run(proxy.ForwardAsync);
        proxy.Url = await LoopbackWebApplication.StartAsync(app).ConfigureAwait(false);
        return proxy;
    }

    /// <summary>Stops the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var incoming = context.Request;
        var pathAndQuery = $"{incoming.PathBase}{incoming.Path}{incoming.QueryString}";
        if (Target is not { } server)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("No server behind this proxy yet.", context.RequestAborted).ConfigureAwait(false);
            requests.Enqueue(new ProxiedRequest(incoming.Method, pathAndQuery, context.Response.StatusCode));
            return;
        }

        var baseUrl = new Uri(server.ToString().TrimEnd('/') + "/");
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(baseUrl, pathAndQuery.TrimStart('/')));
        if (incoming.ContentLength > 0 || incoming.Headers.ContainsKey("Transfer-Encoding"))
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        requests.Enqueue(new ProxiedRequest(incoming.Method, pathAndQuery, (int)response.StatusCode));
    }
}
