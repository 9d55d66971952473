using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IdpBridge.Theme.Tests.FreeMarker;

namespace IdpBridge.Theme.Tests;

/// <summary>terms.ftl rendered by the real FreeMarker engine with a Keycloak-like data model.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TermsTemplateTests
{
    private static readonly HtmlParser Parser = new();

    [TestCase("es", "Aceptar", "Declinar")]
    [TestCase("en", "Accept", "Decline")]
    public async Task Render_EachLocale_KeepsKeycloakTermsForm(string locale, string accept, string decline)
    {
        // Arrange
        var request = new TermsRenderRequest { Locale = locale };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var forms = page.QuerySelectorAll("form");
        Assert.That(forms, Has.Length.EqualTo(1));
        var form = forms[0];
        var buttons = form.QuerySelectorAll("button, input[type=submit]");
        Assert.Multiple(() =>
        {
            Assert.That(form.GetAttribute("method"), Is.EqualTo("POST"));
            Assert.That(form.GetAttribute("action"), Is.EqualTo(TermsRenderRequest.DefaultLoginAction), "the action, once HTML-decoded, is url.loginAction");
            Assert.That(buttons.Select(b => (b.GetAttribute("name"), b.Id, b.GetAttribute("type"), b.TextContent.Trim())), Is.EqualTo(new[]
            {
                ("accept", "kc-accept", "submit", accept),
                ("cancel", "kc-decline", "submit", decline),
            }));
        });
    }

    [TestCase("es", "Términos y Condiciones")]
    [TestCase("en", "Terms and Conditions")]
    public async Task Render_EachLocale_ShowsTitleInPageHeading(string locale, string title)
    {
        // Arrange
        var request = new TermsRenderRequest { Locale = locale };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(page.QuerySelector("h1#kc-page-title")?.TextContent.Trim(), Is.EqualTo(title));
            Assert.That(page.DocumentElement.GetAttribute("lang"), Is.EqualTo(locale));
        });
    }

    [Test]
    public async Task Render_RealmTermsText_ReplacesKeycloakDefaultText()
    {
        // Arrange
        var request = new TermsRenderRequest
        {
            Locale = "es",
            RealmTexts = new Dictionary<string, string>
            {
                ["termsText"] = "<h2>Política de privacidad, versión 3</h2><p>Vigente desde el 1 de julio de 2026.</p><ul><li>Nuevo: registro de accesos.</li></ul>",
            },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var terms = page.QuerySelector("#kc-terms-text")!;
        Assert.Multiple(() =>
        {
            Assert.That(terms.QuerySelector("h2")?.TextContent, Is.EqualTo("Política de privacidad, versión 3"));
            Assert.That(terms.QuerySelector("li")?.TextContent, Is.EqualTo("Nuevo: registro de accesos."));
            Assert.That(terms.TextContent, Does.Not.Contain("Términes"), "the realm's text beats Keycloak's default");
        });
    }

    [Test]
    public async Task Render_TermsTextWithScriptAndLink_DropsScriptKeepsLink()
    {
        // Arrange
        var request = new TermsRenderRequest
        {
            Locale = "en",
            RealmTexts = new Dictionary<string, string>
            {
                ["termsText"] = "<p>Version 3. <script>alert('x')</script>"
                    + "<a href=\"https://idp.example.org/policies/externos/privacy?lang=en&v=3\" onclick=\"steal()\">What changed</a>"
                    + "<img src=\"x\" onerror=\"alert(1)\"></p>",
            },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var terms = page.QuerySelector("#kc-terms-text")!;
        var link = terms.QuerySelector("a");
        Assert.Multiple(() =>
        {
            Assert.That(page.QuerySelectorAll("script"), Is.Empty, "no script element anywhere on the page");
            Assert.That(terms.InnerHtml, Does.Not.Contain("alert").And.Not.Contain("onclick").And.Not.Contain("onerror"));
            Assert.That(link?.GetAttribute("href"), Is.EqualTo("https://idp.example.org/policies/externos/privacy?lang=en&v=3"));
            Assert.That(link?.TextContent, Is.EqualTo("What changed"));
            Assert.That(link?.GetAttribute("rel"), Does.Contain("nofollow"), "Keycloak's policy adds rel=nofollow to links");
        });
    }

    [Test]
    public async Task Render_TermsTextWithEncodedScript_DoesNotBecomeMarkup()
    {
        // Arrange: entity-encoded twice, so one decoding by a careless sanitiser would still hide it.
        var request = new TermsRenderRequest
        {
            Locale = "en",
            RealmTexts = new Dictionary<string, string> { ["termsText"] = "<p>Terms &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</p>" },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(page.QuerySelectorAll("script"), Is.Empty);
            Assert.That(page.QuerySelector("#kc-terms-text")!.TextContent, Does.Not.Contain("alert(1)</script>").And.Contain("Terms"));
        });
    }

    [Test]
    public async Task Render_TermsTextWithEscapedApostrophesAndBraces_ShowsThemLiterally()
    {
        // Arrange: as the publisher must write it for MessageFormat ('' for ', '{' and '}' for braces).
        var request = new TermsRenderRequest
        {
            Locale = "en",
            RealmTexts = new Dictionary<string, string> { ["termsText"] = "<p>We''ve changed section '{'4'}' and the user''s rights.</p>" },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.That(page.QuerySelector("#kc-terms-text p")?.TextContent, Is.EqualTo("We've changed section {4} and the user's rights."));
    }

    [Test]
    public async Task Render_TermsTextWithSingleApostrophe_LosesItAsKeycloakDoes()
    {
        // Arrange: documents MessageFormat's rule the publisher has to follow: a lone ' starts a quoted run and vanishes.
        var request = new TermsRenderRequest
        {
            Locale = "en",
            RealmTexts = new Dictionary<string, string> { ["termsText"] = "<p>We've changed it.</p>" },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.That(page.QuerySelector("#kc-terms-text p")?.TextContent, Is.EqualTo("Weve changed it."));
    }

    [TestCase("es", "Leer la política completa", "http://localhost:8081/policies/externos/privacy?lang=es")]
    [TestCase("en", "Read the full policy", "http://localhost:8081/policies/externos/privacy?lang=en")]
    public async Task Render_EachLocale_LinksFullPolicyInThatLanguageInNewTab(string locale, string text, string href)
    {
        // Arrange
        var request = new TermsRenderRequest { Locale = locale };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var link = page.QuerySelector("#idpbridge-full-policy-link")!;
        Assert.Multiple(() =>
        {
            Assert.That(link.GetAttribute("href"), Is.EqualTo(href));
            Assert.That(link.GetAttribute("target"), Is.EqualTo("_blank"));
            Assert.That(link.GetAttribute("rel")?.Split(' '), Does.Contain("noopener"));
            Assert.That(link.GetAttribute("hreflang"), Is.EqualTo(locale));
            Assert.That(link.ChildNodes.OfType<IText>().First().Text, Is.EqualTo(text));
        });
    }

    [Test]
    public async Task Render_PublicUrlInEnvironment_UsedForPolicyLink()
    {
        // Arrange
        var request = new TermsRenderRequest
        {
            Locale = "en",
            Environment = new Dictionary<string, string?> { ["IDPBRIDGE_PUBLIC_URL"] = "https://idp.example.org" },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.That(page.QuerySelector("#idpbridge-full-policy-link")?.GetAttribute("href"), Is.EqualTo("https://idp.example.org/policies/externos/privacy?lang=en"));
    }

    [Test]
    public async Task Render_RealmNameAndLanguageNeedingEscapes_AreUrlEncodedInPolicyLink()
    {
        // Arrange
        var request = new TermsRenderRequest { Locale = "es-419", RealmName = "mi realm&co" };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.That(page.QuerySelector("#idpbridge-full-policy-link")?.GetAttribute("href"),
            Is.EqualTo("http://localhost:8081/policies/mi%20realm%26co/privacy?lang=es-419"));
    }

    [Test]
    public async Task Render_InternationalizationOff_LinksEnglishPolicy()
    {
        // Arrange: without internationalisation Keycloak puts no `locale` in the model and shows English.
        var request = new TermsRenderRequest { Locale = null };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var link = page.QuerySelector("#idpbridge-full-policy-link")!;
        Assert.Multiple(() =>
        {
            Assert.That(link.GetAttribute("href"), Is.EqualTo("http://localhost:8081/policies/externos/privacy?lang=en"));
            Assert.That(link.TextContent, Does.StartWith("Read the full policy"));
        });
    }

    private static async Task<IDocument> RenderAsync(TermsRenderRequest request)
    {
        var html = await FreeMarkerRenderer.RenderAsync(request);
        TestContext.Out.WriteLine(html);
        return await Parser.ParseDocumentAsync(html);
    }
}
