using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdpBridge.MailCatcher;

/// <summary>
/// The web page of an <see cref="SmtpSink"/>, on 127.0.0.1: <c>/</c> lists the messages caught, newest first, and
/// <c>/messages/{n}</c> shows one (its text body, and its links as links, so a person can follow the verification
/// link Keycloak sent). Everything shown is HTML-escaped; the HTML body is not rendered (a strict
/// Content-Security-Policy, no script).
/// </summary>
public sealed class MailPage : IAsyncDisposable
{
    private const string Security = "default-src 'none'; style-src 'unsafe-inline'";
    private readonly WebApplication app;

    private MailPage(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>The page's address, e.g. <c>http://localhost:8025/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts the page for <paramref name="sink"/> on <paramref name="port"/> of the loopback interfaces.</summary>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<MailPage> StartAsync(SmtpSink sink, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.ListenLocalhost(port);
            options.AddServerHeader = false;
        });
        var app = builder.Build();
        app.MapGet("/", () => Html("Mail caught", ListBody(sink.Messages)));
        app.MapGet("/messages/{number:int}", (int number) =>
            number >= 1 && number <= sink.Messages.Count
                ? Html(sink.Messages[number - 1].Subject, MessageBody(number, sink.Messages[number - 1]))
                : Results.NotFound());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new MailPage(app, new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/"));
    }

    /// <summary>Stops the page.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static string ListBody(IReadOnlyList<ReceivedMail> messages)
    {
        if (messages.Count == 0)
        {
            return "<p>No mail yet. Messages Keycloak sends (email verification, password reset) appear here; reload the page.</p>";
        }

        var rows = new StringBuilder("<table><tr><th>#</th><th>To</th><th>Subject</th></tr>");
        for (var number = messages.Count; number >= 1; number--)
        {
            var mail = messages[number - 1];
            rows.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{number}</td><td>{Escape(string.Join(", ", mail.To))}</td><td><a href=\"/messages/{number}\">{Escape(mail.Subject)}</a></td></tr>");
        }

        return rows.Append("</table>").ToString();
    }

    private static string MessageBody(int number, ReceivedMail mail)
    {
        var body = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<p><a href=\"/\">All mail</a></p><dl><dt>From</dt><dd>{Escape(mail.From)}</dd><dt>To</dt><dd>{Escape(string.Join(", ", mail.To))}</dd></dl>");
        if (mail.Links.Count > 0)
        {
            body.Append("<h2>Links</h2><ul class=\"links\">");
            foreach (var link in mail.Links)
            {
                body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Escape(link.AbsoluteUri)}\">{Escape(link.AbsoluteUri)}</a></li>");
            }

            body.Append("</ul>");
        }

        var text = mail.Text.Length > 0 ? mail.Text : "(no text body)";
        return body.Append(CultureInfo.InvariantCulture, $"<h2>Message {number}</h2><pre>{Escape(text)}</pre>").ToString();
    }

    private static IResult Html(string title, string body)
    {
        var page = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Escape(title)}}</title>
            <style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left}pre{white-space:pre-wrap}</style>
            </head><body><h1>{{Escape(title)}}</h1>{{body}}</body></html>
            """;
        return new SecureHtml(page);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private sealed class SecureHtml(string page) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentSecurityPolicy = Security;
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.WriteAsync(page, httpContext.RequestAborted);
        }
    }
}
