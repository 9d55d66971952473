using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using IdpBridge.MailCatcher;
using NUnit.Framework;

namespace IdpBridge.Testing.Tests.Mail;

/// <summary>The SMTP sink, fed by .NET's own SMTP client (a real client, with its own encoding choices).</summary>
public sealed class SmtpSinkTests
{
    // Longer than a quoted-printable line (76): the encoder breaks it with soft line breaks and writes '=' as =3D.
    private const string Link = "http://127.0.0.1:8080/realms/externos/login-actions/action-token?key=eyJhbGciOiJIUzUxMiIsInR5cCIgOiAiSldUIn0" +
                                ".eyJleHAiOjE3OTYxMjU4NTMsImVtbCI6ImFuYUBleGFtcGxlLm9yZyJ9.cVTqZ9BuG8Mp&client_id=demo-app&tab_id=tG5jF3EI";

    [TestCase(TransferEncoding.QuotedPrintable)]
    [TestCase(TransferEncoding.Base64)]
    public async Task WaitFor_SpanishMailWithLongLink_DecodesSubjectBodiesAndLink(TransferEncoding encoding)
    {
        await using var sink = SmtpSink.Start();
        using var message = new MailMessage("Externos <noreply@externos.example>", "ana@example.org")
        {
            Subject = "Verificación de email",
            SubjectEncoding = Encoding.UTF8,
            Body = $"Alguien ha creado una cuenta con esta dirección de email.\r\n\r\n{Link}\r\n\r\n.Este enlace expirará en 5 minutos.",
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = encoding,
        };
        var html = AlternateView.CreateAlternateViewFromString($"<p><a href=\"{Link.Replace("&", "&amp;", StringComparison.Ordinal)}\">Verificar</a></p>",
            Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = encoding;
        message.AlternateViews.Add(html);

        using (var client = new SmtpClient(sink.Host, sink.Port))
        {
            await client.SendMailAsync(message);
        }

        var mail = await sink.WaitForAsync(m => m.To.Contains("ana@example.org"), TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.EqualTo("Verificación de email"));
            Assert.That(mail.From, Does.Contain("noreply@externos.example"));
            Assert.That(mail.Text, Does.Contain("esta dirección de email"));
            Assert.That(mail.Text, Does.Contain("\r\n.Este enlace expirará"), "a line starting with a dot is unstuffed");
            Assert.That(mail.Html, Does.Contain("Verificar</a>"));
            Assert.That(mail.Links, Is.EqualTo(new[] { new Uri(Link) }));
        });
    }

    [Test]
    public async Task WaitFor_NoMatchingMail_FailsNamingWhatArrived()
    {
        await using var sink = SmtpSink.Start();
        using (var client = new SmtpClient(sink.Host, sink.Port))
        {
            await client.SendMailAsync("a@example.org", "bea@example.org", "Hola", "texto");
        }

        var wait = sink.WaitForAsync(m => m.To.Contains("ana@example.org"), TimeSpan.FromMilliseconds(300));

        var failure = Assert.ThrowsAsync<TimeoutException>(async () => await wait);
        Assert.That(failure!.Message, Does.Contain("to bea@example.org: Hola"));
    }

    [Test]
    public async Task KeycloakSettings_PlainSinkOnLoopback_NoAuthenticationNoTls()
    {
        await using var sink = SmtpSink.Start();

        var settings = sink.KeycloakSettings("noreply@externos.example");

        Assert.That(settings, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1", ["port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = "noreply@externos.example", ["auth"] = "false", ["ssl"] = "false", ["starttls"] = "false",
        }));
    }
}
