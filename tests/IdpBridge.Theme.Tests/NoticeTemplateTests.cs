using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IdpBridge.Theme.Tests.FreeMarker;

namespace IdpBridge.Theme.Tests;

/// <summary>
/// terms.ftl with what IdpBridge's Keycloak extension adds to the page (step, version, kind, effective date), rendered
/// by the real FreeMarker engine: a notice the extension shows has one "continue" and no decline; a material version,
/// and any page of Keycloak's own terms step (Admin API mode), keeps both buttons.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class NoticeTemplateTests
{
    private static readonly HtmlParser Parser = new();

    [TestCase("es", "Continuar", "Versión 4, vigente desde el 2026-07-01.")]
    [TestCase("en", "Continue", "Version 4, in force since 2026-07-01.")]
    public async Task Render_NoticeStep_OneContinueButtonThatPostsAcceptAndNoDecline(string locale, string label, string versionLine)
    {
        // Arrange
        var request = new TermsRenderRequest { Locale = locale, Attributes = Extension("notice", "4", "notice") };

        // Act
        var page = await RenderAsync(request);

        // Assert
        var buttons = page.QuerySelectorAll("#kc-terms-form button, #kc-terms-form input[type=submit]");
        Assert.Multiple(() =>
        {
            Assert.That(buttons.Select(b => (b.GetAttribute("name"), b.Id, b.GetAttribute("type"), b.TextContent.Trim())), Is.EqualTo(new[]
            {
                ("accept", "kc-continue", "submit", label),
            }));
            Assert.That(page.QuerySelector("#kc-decline"), Is.Null);
            Assert.That(page.QuerySelector("[name=cancel]"), Is.Null, "nothing to decline");
            Assert.That(page.QuerySelector("#idpbridge-notice-hint")?.TextContent.Trim(), Is.Not.Empty);
            Assert.That(page.QuerySelector("#idpbridge-terms-version")?.TextContent.Trim(), Is.EqualTo(versionLine));
            Assert.That(page.QuerySelector("#idpbridge-full-policy-link"), Is.Not.Null, "the full policy stays one click away");
        });
    }

    [TestCase("material")]
    [TestCase("notice")]
    [TestCase("minor")]
    public async Task Render_AcceptStepWhateverTheVersionKind_AcceptAndDeclineWithTheVersionLine(string kind)
    {
        // Arrange: a user who never accepted the material version meets the version in force as an acceptance, even
        // when that version is itself a notice or a minor one.
        var request = new TermsRenderRequest { Locale = "es", Attributes = Extension("accept", "4", kind) };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Buttons(page), Is.EqualTo(new[] { ("accept", "kc-accept"), ("cancel", "kc-decline") }));
            Assert.That(page.QuerySelector("#kc-continue"), Is.Null);
            Assert.That(page.QuerySelector("#idpbridge-terms-version")?.TextContent.Trim(), Is.EqualTo("Versión 4, vigente desde el 2026-07-01."));
        });
    }

    [Test]
    public async Task Render_BuiltInActionWithoutExtensionAttributes_NoVersionLineAndBothButtons()
    {
        // Arrange: Keycloak's own TERMS_AND_CONDITIONS sets none of the extension's attributes.
        var request = new TermsRenderRequest { Locale = "en" };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(page.QuerySelector("#idpbridge-terms-version"), Is.Null);
            Assert.That(Buttons(page), Is.EqualTo(new[] { ("accept", "kc-accept"), ("cancel", "kc-decline") }));
        });
    }

    [TestCase("en", "This version is a notice of what changed. Accept to continue: if you had not accepted this policy yet, accepting it now does.")]
    [TestCase("es", "Esta versión es un aviso de lo que cambió. Acepte para continuar: si aún no había aceptado esta política, con esto la acepta.")]
    public async Task Render_BuiltInActionWithRealmTextKindNotice_AcceptAndDeclineWithTheNoticeLine(string locale, string hint)
    {
        // Arrange: Admin API mode has no extension; IdpBridge marks a notice with the realm text idpbridgeTermsKind. The
        // page is the whole realm's and Keycloak gives it no user, so it cannot tell a user who owes the material version
        // (or a new user) from one who only has the notice to see: everyone may accept or decline.
        var request = new TermsRenderRequest
        {
            Locale = locale,
            RealmTexts = new Dictionary<string, string> { ["idpbridgeTermsKind"] = "notice" },
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Buttons(page), Is.EqualTo(new[] { ("accept", "kc-accept"), ("cancel", "kc-decline") }));
            Assert.That(page.QuerySelector("#kc-continue"), Is.Null);
            Assert.That(page.QuerySelector("#idpbridge-notice-accept-hint")?.TextContent.Trim(), Is.EqualTo(hint));
        });
    }

    [Test]
    public async Task Render_ExtensionAsksAcceptWhileRealmTextSaysNotice_ExtensionWins()
    {
        // Arrange: the extension knows this user owes an acceptance; a realm text left from Admin API mode must not
        // turn that into a mere "continue".
        var request = new TermsRenderRequest
        {
            Locale = "en",
            RealmTexts = new Dictionary<string, string> { ["idpbridgeTermsKind"] = "notice" },
            Attributes = Extension("accept", "4", "notice"),
        };

        // Act
        var page = await RenderAsync(request);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Buttons(page), Is.EqualTo(new[] { ("accept", "kc-accept"), ("cancel", "kc-decline") }));
            Assert.That(page.QuerySelector("#idpbridge-notice-accept-hint"), Is.Null, "the extension decided: no line about the realm's notice");
        });
    }

    private static Dictionary<string, string> Extension(string step, string version, string kind) => new(StringComparer.Ordinal)
    {
        ["idpbridgeTermsStep"] = step,
        ["idpbridgeTermsVersion"] = version,
        ["idpbridgeTermsKind"] = kind,
        ["idpbridgeTermsEffective"] = "2026-07-01T00:00:00Z",
        ["idpbridgeTermsEffectiveDate"] = "2026-07-01",
    };

    private static (string?, string?)[] Buttons(IDocument page) =>
        page.QuerySelectorAll("#kc-terms-form button").Select(b => (b.GetAttribute("name"), b.Id)).ToArray();

    private static async Task<IDocument> RenderAsync(TermsRenderRequest request)
    {
        var html = await FreeMarkerRenderer.RenderAsync(request);
        TestContext.Out.WriteLine(html);
        return await Parser.ParseDocumentAsync(html);
    }
}
