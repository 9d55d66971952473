using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdpBridge.Testing.Simulator;
using Microsoft.AspNetCore.Mvc.Testing;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

public sealed class LedgerEndpointsTests
{
    private const string Api = "/api/admin/realms/externos/ledger";
    private const string Page = "/admin/realms/externos/ledger";

    private ServiceHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public void Start()
    {
        harness = new ServiceHarness();
        realm = harness.Simulator.Realm(ServiceHarness.Realm);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", true);
    }

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Service_EventsBeforeItStarts_RecordsThemWithoutBeingAsked()
    {
        var userId = realm.AddUser("maria.lopez");
        realm.AcceptTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        var admin = harness.Client(harness.AdminToken());

        JsonElement history = default;
        for (var attempt = 0; attempt < 100 && history.ValueKind != JsonValueKind.Array || history.GetArrayLength() == 0; attempt++)
        {
            await Task.Delay(100);
            history = await admin.GetFromJsonAsync<JsonElement>($"{Api}/users/maria.lopez");
        }

        Assert.That(history.GetArrayLength(), Is.EqualTo(1), "the worker synced at start");
        Assert.That(history[0].GetProperty("source").GetString(), Is.EqualTo("event"));
        Assert.That(history[0].GetProperty("ipAddress").GetString(), Is.EqualTo("203.0.113.9"));
    }

    [Test]
    public async Task Api_SyncThenStatsHistoryAndExport_AnswerFromTheRecord()
    {
        var admin = harness.Client(harness.AdminToken());
        var published = await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            documents = new[] { new { name = "es.md", content = ServiceHarness.DemoPolicy("v1", "es") }, new { name = "en.md", content = ServiceHarness.DemoPolicy("v1", "en") } },
        });
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
        var ana = realm.AddUser("ana");
        var beto = realm.AddUser("beto");
        realm.DeclineTerms(beto);
        realm.AcceptTerms(ana, ipAddress: "198.51.100.20");

        var sync = await admin.PostAsync($"{Api}/sync", null);
        var stats = await admin.GetFromJsonAsync<JsonElement>($"{Api}/stats");
        var byVersion = await admin.GetAsync($"{Api}/versions/9/stats");
        var history = await admin.GetFromJsonAsync<JsonElement>($"{Api}/users/{beto}");
        var export = await admin.GetAsync($"{Api}/export?format=csv");
        var body = await export.Content.ReadAsByteArrayAsync();

        Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.OK), await sync.Content.ReadAsStringAsync());
        Assert.That(stats.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("acceptedUsers").GetInt64(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("declinedUsers").GetInt64(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("share").GetDouble(), Is.EqualTo(0.5));
        Assert.That(byVersion.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(history[0].GetProperty("decision").GetString(), Is.EqualTo("declined"));
        Assert.That(history[0].GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(export.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
        Assert.That(export.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("ledger-externos.csv"));
        Assert.That(body.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.That(System.Text.Encoding.UTF8.GetString(body).Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
    }

    [TestCase(Api + "/export?format=csv")]
    [TestCase(Api + "/users/ana")]
    [TestCase(Page)]
    public async Task Ledger_NoToken_Is401WithABearerChallenge(string path)
    {
        var response = await harness.Client().GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"), "RFC 9110: a 401 says how to authenticate");
    }

    [TestCase(Api + "/export?format=csv")]
    [TestCase(Page)]
    public async Task Ledger_TokenWithoutTheAdminRole_Is403(string path)
    {
        var token = harness.AdminToken(new Dictionary<string, object?>
        {
            ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "offline_access" } },
        });

        var response = await harness.Client(token).GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Page_AdminBearer_ShowsNumbersChartAndHistoryWithoutScript()
    {
        var admin = harness.Client(harness.AdminToken());
        await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            documents = new[] { new { name = "es.md", content = ServiceHarness.DemoPolicy("v1", "es") }, new { name = "en.md", content = ServiceHarness.DemoPolicy("v1", "en") } },
        });
        var userId = realm.AddUser("<b>o'brien</b>");
        realm.AcceptTerms(userId);
        await admin.PostAsync($"{Api}/sync", null);

        var response = await admin.GetAsync($"{Page}?user={userId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
        Assert.That(response.Headers.CacheControl!.NoStore, Is.True);
        Assert.That(html, Does.Contain("<svg").And.Contain("<polyline"));
        Assert.That(html, Does.Contain("100.0% (1 of 1)"));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Contain("&lt;b&gt;o&#x27;brien&lt;/b&gt;"), "names are encoded");
        Assert.That(html, Does.Contain("<th>Language shown</th></tr>").And.Contain("<td>event</td><td>&#x2014;</td></tr>"), "Keycloak's own step names no language");
    }

    [Test]
    public async Task Page_BrowserWithoutCookieAndAPageClient_IsSentToKeycloakSignInWithPkce()
    {
        var factory = harness.Factory.WithWebHostBuilder(host => host.UseSetting("IdpBridge:AdminApi:PageClientId", "idpbridge-pages"));
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await browser.GetAsync(Page);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var location = response.Headers.Location!.ToString();
        Assert.That(location, Does.StartWith($"{harness.Simulator.Url}/realms/externos/protocol/openid-connect/auth?"));
        Assert.That(location, Does.Contain("client_id=idpbridge-pages").And.Contain("code_challenge_method=S256").And.Contain("response_type=code"));
        Assert.That(location, Does.Contain(Uri.EscapeDataString("/admin/realms/externos/signin-oidc")));
    }
}
