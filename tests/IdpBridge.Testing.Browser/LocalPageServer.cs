using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdpBridge.Testing.Browser;

/// <summary>
/// A minimal HTTP server on 127.0.0.1 serving fixed pages from memory, so a browser test loads a page the way a user
/// would (over HTTP, from an origin) without Kestrel. Unknown paths get 404, which a page under test then reports as
/// a console error.
/// </summary>
public sealed class LocalPageServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> pages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> served = new();
    private readonly Task loop;

    private LocalPageServer(int port)
    {
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(BaseUri.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The server's root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Every path requested so far, in order (with the query).</summary>
    public IReadOnlyCollection<string> Served => served.ToArray();

    /// <summary>Starts a server on a free loopback port.</summary>
    public static LocalPageServer Start()
    {
        // HttpListener cannot bind port 0; take a free port from the OS first. Another process could take it in
        // between, so a failed start is retried with a fresh port.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new LocalPageServer(FreePort());
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Serves <paramref name="html"/> (UTF-8) at <paramref name="path"/> and returns its absolute URL.</summary>
    public Uri AddHtml(string path, string html) => Add(path, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> and returns its absolute URL.</summary>
    public Uri Add(string path, string contentType, byte[] body)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var normalized = path.StartsWith('/') ? path : "/" + path;
        pages[normalized] = (contentType, body);
        return new Uri(BaseUri, normalized);
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var url = context.Request.Url!;
            served.Enqueue(url.PathAndQuery);
            using var response = context.Response;
            if (pages.TryGetValue(url.AbsolutePath, out var page))
            {
                response.StatusCode = 200;
                response.ContentType = page.ContentType;
                response.Headers["Cache-Control"] = "no-store";
                response.ContentLength64 = page.Body.Length;
                await response.OutputStream.WriteAsync(page.Body).ConfigureAwait(false);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
