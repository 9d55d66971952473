using IdpBridge.Testing.Browser;
using IdpBridge.Theme.Tests.FreeMarker;

namespace IdpBridge.Theme.Tests;

/// <summary>The rendered terms page opened in real headless Chromium, served from 127.0.0.1.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TermsPageBrowserTests
{
    // What IdpBridge publishes: version, effective date, what changed, and a link (which must not be fetched).
    private static readonly Dictionary<string, Dictionary<string, string>> PublishedTexts = new(StringComparer.Ordinal)
    {
        ["es"] = new(StringComparer.Ordinal)
        {
            ["termsText"] = "<h2>Política de privacidad, versión 3</h2><p>Vigente desde el 1 de julio de 2026.</p>"
                + "<p>Qué cambia:</p><ul><li>Conservamos el registro de accesos 12 meses.</li><li>Nuevo proveedor de correo.</li></ul>"
                + "<p><a href=\"http://localhost:8081/policies/externos/privacy/3/diff?lang=es\">Ver los cambios</a></p>",
        },
        ["en"] = new(StringComparer.Ordinal)
        {
            ["termsText"] = "<h2>Privacy policy, version 3</h2><p>In force from 1 July 2026.</p>"
                + "<p>What changes:</p><ul><li>We keep the access log for 12 months.</li><li>A new e-mail provider.</li></ul>"
                + "<p><a href=\"http://localhost:8081/policies/externos/privacy/3/diff?lang=en\">See what changed</a></p>",
        },
    };

    [TestCase("es")]
    [TestCase("en")]
    public async Task OpenTermsPage_EachLocale_NoConsoleErrorsAndNothingLeavesMachine(string locale)
    {
        // Arrange
        var html = await FreeMarkerRenderer.RenderAsync(new TermsRenderRequest { Locale = locale, RealmTexts = PublishedTexts[locale] });
        await using var server = LocalPageServer.Start();
        var page = server.AddHtml($"/realms/externos/login-actions/required-action-{locale}", html);

        // Act
        await using var browser = await BrowserSession.StartAsync();
        var visit = await browser.VisitAsync(page);

        // Assert
        Screenshots.Keep($"terms-{locale}", visit.ScreenshotPng, $"{visit.Page} in headless Chromium");
        Assert.Multiple(() =>
        {
            Assert.That(visit.ConsoleErrors, Is.Empty);
            Assert.That(visit.RequestsLeavingMachine, Is.Empty);
            Assert.That(visit.Requests, Is.EqualTo(new[] { page.ToString() }), "the page loads nothing else");
            Assert.That(visit.ScreenshotPng, Has.Length.GreaterThan(10_000), "a page with text, not a blank PNG");
        });
    }

    [Test]
    public async Task Visit_PageCallingOutLoggingAnErrorAndMissingAnImage_ReportsEach()
    {
        // Arrange: the checks above are only worth something if they catch these. The host name is never resolved
        // (Chromium maps every name but localhost to "not found"), so nothing actually leaves the machine.
        await using var server = LocalPageServer.Start();
        var page = server.AddHtml("/bad", """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bad</title></head>
            <body><p>bad page</p><img src="http://tracker.invalid/pixel.png" alt=""><img src="/missing.png" alt="">
            <script>console.error("boom");</script></body></html>
            """);

        // Act
        await using var browser = await BrowserSession.StartAsync();
        var visit = await browser.VisitAsync(page);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(visit.RequestsLeavingMachine, Is.EqualTo(new[] { "http://tracker.invalid/pixel.png" }));
            Assert.That(visit.ConsoleErrors, Has.Some.Contains("boom"));
            Assert.That(visit.ConsoleErrors, Has.Some.Contains("Failed to load resource: the server responded with a status of 404"));
        });
    }
}
