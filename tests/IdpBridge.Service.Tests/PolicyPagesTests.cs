using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

public sealed class PolicyPagesTests
{
    private ServiceHarness harness = null!;
    private HttpClient admin = null!;
    private HttpClient anonymous = null!;

    [SetUp]
    public void Start()
    {
        harness = new ServiceHarness();
        admin = harness.Client(harness.AdminToken());
        anonymous = harness.Client();
    }

    [TearDown]
    public void Stop()
    {
        admin.Dispose();
        anonymous.Dispose();
        harness.Dispose();
    }

    [Test]
    public async Task Publish_DemoPolicy_StoresVersionOneAndSetsKeycloaksTermsTexts()
    {
        var first = await PublishAsync("v1");
        var again = await PublishAsync("v1");

        var realm = harness.Simulator.Realm(ServiceHarness.Realm);
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
            Assert.That(first.Headers.Location!.ToString(), Is.EqualTo("/api/admin/realms/externos/policies/privacy/versions/1"));
            Assert.That(body["number"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(body["termsTextsWritten"]!.AsArray().Select(node => node!.GetValue<string>()),
                Is.EquivalentTo(new[] { "es/termsTitle", "es/termsText", "es/idpbridgeTermsKind", "en/termsTitle", "en/termsText", "en/idpbridgeTermsKind" }));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(JsonNode.Parse(await again.Content.ReadAsStringAsync())!["created"]!.GetValue<bool>(), Is.False);
            Assert.That(realm.GetLocalization("es")["termsText"], Does.Contain("https://idp.example.org/policies/externos/privacy/v/1?lang=es"));
            Assert.That(realm.GetLocalization("en")["termsTitle"], Does.Contain("1"));
        });
    }

    [Test]
    public async Task CurrentPage_LanguageFromLangThenKcLocaleThenAcceptLanguageThenDefault()
    {
        await PublishAsync("v1");

        var byDefault = await GetHtmlAsync("/policies/externos/privacy");
        var byLang = await GetHtmlAsync("/policies/externos/privacy?lang=en");
        var byKeycloak = await GetHtmlAsync("/policies/externos/privacy?kc_locale=en");
        var byHeader = await GetHtmlAsync("/policies/externos/privacy", acceptLanguage: "en-US,en;q=0.9,es;q=0.1");
        var langBeatsHeader = await GetHtmlAsync("/policies/externos/privacy?lang=es", acceptLanguage: "en");

        Assert.Multiple(() =>
        {
            Assert.That(byDefault, Does.Contain("<html lang=\"es\">"));
            Assert.That(byLang, Does.Contain("<html lang=\"en\">"));
            Assert.That(byKeycloak, Does.Contain("<html lang=\"en\">"));
            Assert.That(byHeader, Does.Contain("<html lang=\"en\">"));
            Assert.That(langBeatsHeader, Does.Contain("<html lang=\"es\">"));
        });
    }

    [Test]
    public async Task Pages_Headers_StrictCspNoExternalResourcesAndCachingByKind()
    {
        await PublishAsync("v1");

        var current = await anonymous.GetAsync("/policies/externos/privacy");
        var permalink = await anonymous.GetAsync("/policies/externos/privacy/v/1");
        var html = await current.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(current.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
            Assert.That(current.Headers.CacheControl!.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(permalink.Headers.CacheControl!.ToString(), Does.Contain("immutable"));
            Assert.That(html, Does.Not.Contain("<script"));
            Assert.That(html, Does.Contain("<link rel=\"stylesheet\" href=\"/assets/policy.css\">"));
            Assert.That(html, Does.Contain("name=\"viewport\""));
            // No resource from elsewhere: every src/href that loads something is local.
            Assert.That(html, Does.Not.Match("(src|href)=\"//"));
            Assert.That(html, Does.Not.Contain("<img"));
        });
    }

    [Test]
    public async Task Document_WithRawHtmlAndScript_NeverReachesThePage()
    {
        var hostile = "---\ntitle: Política\nlocale: es\nkind: material\nsummary: Prueba\n---\n# Política\n\n<script>alert(1)</script>\n\n" +
            "<img src=\"https://tracker.example/p.gif\">\n\n![logo](https://cdn.example/logo.png)\n\n[clic](javascript:alert(2))\n";
        var response = await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            documents = new[] { new { name = "es.md", content = hostile }, new { name = "en.md", content = ServiceHarness.DemoPolicy("v1", "en") } },
        });

        var html = await GetHtmlAsync("/policies/externos/privacy?lang=es");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            Assert.That(html, Does.Not.Contain("<script>"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
            Assert.That(html, Does.Not.Contain("<img"));
            Assert.That(html, Does.Not.Contain("javascript:"));
        });
    }

    [Test]
    public async Task Changes_SecondVersion_ShowsSummaryAndLineDiff()
    {
        await PublishAsync("v1");
        await PublishAsync("v2");

        var html = await GetHtmlAsync("/policies/externos/privacy/v/2/changes?lang=en");
        var list = await GetHtmlAsync("/policies/externos/privacy/versions?lang=en");

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<ol class=\"diff\">"));
            Assert.That(html, Does.Contain("class=\"added\"").And.Contain("class=\"removed\""));
            Assert.That(html, Does.Contain("the user is asked to verify it"));
            Assert.That(list, Does.Contain("/policies/externos/privacy/v/1?lang=en").And.Contain("/policies/externos/privacy/v/2?lang=en"));
        });
    }

    [Test]
    public async Task Publish_Notice_PageAndJsonNameTheKind()
    {
        // Arrange
        await PublishAsync("v1");

        // Act: v2's demo text carries a summary, so it may be a notice.
        var published = await ServiceHarness.PublishAsync(admin, "v2", kind: "notice");
        var spanish = await GetHtmlAsync("/policies/externos/privacy/v/2?lang=es");
        var english = await GetHtmlAsync("/policies/externos/privacy/v/2?lang=en");
        var json = await GetAsync("/policies/externos/privacy/v/2", "application/json");

        // Assert
        Assert.Multiple(async () =>
        {
            Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(await published.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>(), Is.EqualTo("notice"));
            Assert.That(spanish, Does.Contain("aviso de cambio"));
            Assert.That(english, Does.Contain("notice of change"));
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(await json.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>(), Is.EqualTo("notice"));
        });
    }

    [Test]
    public async Task Pages_AskedForJson_AnswerJsonAndProblemDetails()
    {
        await PublishAsync("v1");

        var page = await GetAsync("/policies/externos/privacy/v/1?lang=en", "application/json");
        var missing = await GetAsync("/policies/externos/privacy/v/9", "application/json");

        var json = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
        Assert.Multiple(async () =>
        {
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(json["number"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(json["locale"]!.GetValue<string>(), Is.EqualTo("en"));
            Assert.That(json["sha256"]!.GetValue<string>(), Has.Length.EqualTo(64));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missing.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("no version 9"));
        });
    }

    [TestCase("/policies/nowhere/privacy", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/cookies", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy/v/99", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy/v/0", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy/v/abc", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy/v/99999999999999999999", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy?lang=fr", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy?lang=" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", HttpStatusCode.NotFound)]
    [TestCase("/policies/..%2F..%2Fetc/passwd", HttpStatusCode.BadRequest)]
    [TestCase("/policies/externos/%2E%2E", HttpStatusCode.NotFound)]
    [TestCase("/policies/externos/privacy/v/1/extra/segments", HttpStatusCode.NotFound)]
    public async Task Pages_UnknownOrMalformed_Are404Or400NeverA500(string path, HttpStatusCode expected)
    {
        await PublishAsync("v1");

        var response = await anonymous.GetAsync(path);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<html lang="));
        });
    }

    [Test]
    public async Task Pages_OverLongRealmName_Is400()
    {
        var response = await anonymous.GetAsync("/policies/" + new string('r', 300) + "/privacy");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Publish_DraftDocument_Is400WithTheReason()
    {
        var draft = "---\ntitle: Borrador\ndraft: true\nlocale: es\n---\nTexto\n";

        var response = await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            kind = "material",
            summary = "x",
            documents = new[] { new { name = "es.md", content = draft } },
        });

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("draft"));
        });
    }

    [Test]
    public async Task Health_LiveAndReady_CheckStoreAndKeycloak()
    {
        var live = await anonymous.GetAsync("/health/live");
        var ready = await anonymous.GetAsync("/health/ready");
        harness.Simulator.Faults.FailNext(1000, 503);
        // Readiness is cached a few seconds: the outage shows once that has passed.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var notReady = await anonymous.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        });
    }

    [Test]
    public async Task Versions_Html_VariesByAcceptAndAcceptLanguage()
    {
        await PublishAsync("v1");

        var response = await anonymous.GetAsync("/policies/externos/privacy/versions");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Vary, Is.SupersetOf(new[] { "Accept", "Accept-Language" }), "a shared cache must not give one language's list to everyone");
    }

    [TestCase("/policies/externos/privacy")]
    [TestCase("/policies/externos/privacy/versions")]
    public async Task Pages_LangWithFreeText_IsNotEchoedInThe404(string path)
    {
        await PublishAsync("v1");
        const string Lang = "es Llame al 555-0100 para reclamar su premio";

        var response = await anonymous.GetAsync($"{path}?lang={Uri.EscapeDataString(Lang)}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(html, Does.Not.Contain("555-0100").And.Not.Contain("premio"));
    }

    private Task<HttpResponseMessage> PublishAsync(string version) => ServiceHarness.PublishAsync(admin, version);

    private async Task<string> GetHtmlAsync(string path, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        var response = await anonymous.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await anonymous.SendAsync(request);
    }
}
