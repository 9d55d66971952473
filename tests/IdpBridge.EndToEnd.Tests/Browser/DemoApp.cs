using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdpBridge.EndToEnd.Tests.Browser;

/// <summary>
/// The demo realm's application (<c>demo-app</c>, a public client with PKCE S256) as a tiny page on 127.0.0.1: its
/// callback shows the <c>code</c> or <c>error</c> Keycloak sent it, and keeps every callback's query for the test.
/// It never redeems the code: what a test asserts is that Keycloak handed the browser back to the application.
/// </summary>
internal sealed class DemoApp : IAsyncDisposable
{
    /// <summary>The demo realm's client for people (realm-config/externos/realm.json).</summary>
    public const string ClientId = "demo-app";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> callbacks = new();

    private DemoApp(WebApplication app)
    {
        this.app = app;
        // RFC 7636: a high-entropy verifier, and its S256 challenge for the authorization request.
        Verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        Challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
    }

    /// <summary>The application's root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The redirect URI Keycloak sends the browser back to.</summary>
    public Uri Callback => new(Url, "callback");

    /// <summary>The PKCE code verifier of this application's requests.</summary>
    public string Verifier { get; }

    /// <summary>The S256 challenge of <see cref="Verifier"/>.</summary>
    public string Challenge { get; }

    /// <summary>The query of every callback so far, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Callbacks => callbacks.ToArray();

    /// <summary>Starts the application on a free loopback port.</summary>
    public static async Task<DemoApp> StartAsync()
    {
        var app = LoopbackWebApplication.Create();
        var demo = new DemoApp(app);
        app.MapGet("/callback", demo.ShowCallback);
        demo.Url = await LoopbackWebApplication.StartAsync(app).ConfigureAwait(false);
        return demo;
    }

    /// <summary>
    /// The authorization request a person's visit to the application starts (<c>auth</c>), or the one that opens the
    /// registration form directly (<c>registrations</c>).
    /// </summary>
    public Uri SignInUrl(Uri keycloak, string realm, string endpoint = "auth")
    {
        ArgumentNullException.ThrowIfNull(keycloak);
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = Callback.ToString(),
            ["response_type"] = "code",
            ["scope"] = "openid",
            ["state"] = Base64Url(RandomNumberGenerator.GetBytes(12)),
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
        }.Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"));
        return new Uri($"{keycloak.ToString().TrimEnd('/')}/realms/{Uri.EscapeDataString(realm)}/protocol/openid-connect/{endpoint}?{query}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private IResult ShowCallback(HttpRequest request)
    {
        var query = request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        callbacks.Enqueue(query);
        var rows = string.Concat(query.Select(pair =>
            $"<dt>{WebUtility.HtmlEncode(pair.Key)}</dt><dd id=\"{WebUtility.HtmlEncode(pair.Key)}\">{WebUtility.HtmlEncode(pair.Value)}</dd>"));
        return Results.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Demo application</title></head>" +
            $"<body><h1 id=\"demo-app\">Demo application</h1><dl>{rows}</dl></body></html>",
            "text/html; charset=utf-8");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
