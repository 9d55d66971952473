using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The admin API and the admin page are bound to the realm(s) the service administers: a token is good only for the
/// realm that issued it, and a realm the service does not administer is refused with a 403 problem naming the ones it
/// does, on every route group (policies, rollouts, ledger, the page).
/// </summary>
public sealed class AdminRealmBindingTests
{
    private const string Second = "segundo";

    /// <summary>One route or more of each group; <c>{realm}</c> is the realm asked about.</summary>
    private static readonly string[] Routes =
    [
        "GET /api/admin/realms/{realm}/policies",
        "POST /api/admin/realms/{realm}/policies/privacy/versions",
        "GET /api/admin/realms/{realm}/rollouts",
        "POST /api/admin/realms/{realm}/policies/privacy/versions/1/rollout",
        "POST /api/admin/realms/{realm}/rollouts/privacy/1/cancel",
        "POST /api/admin/realms/{realm}/ledger/sync",
        "GET /api/admin/realms/{realm}/ledger/export?format=csv",
        "GET /api/admin/realms/{realm}/ledger/verify",
        "GET /api/admin/realms/{realm}/ledger/proof?user=ana",
        "GET /admin/realms/{realm}/ledger",
    ];

    private static IEnumerable<TestCaseData> RoutesOfOtherRealms() =>
        Routes.SelectMany(route => new[] { "master", "other" }.Select(realm => new TestCaseData(route, realm)));

    [TestCaseSource(nameof(RoutesOfOtherRealms))]
    public async Task AdminRoute_AdminTokenOfTheServedRealmForAnotherRealm_Is403NamingTheServedRealm(string route, string realm)
    {
        using var harness = new ServiceHarness();
        harness.Simulator.CreateRealm("other");
        using var admin = harness.Client(harness.AdminToken());

        using var response = await admin.SendAsync(Request(route, realm));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(body);
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("realm 'externos'").And.Contain($"'{realm}'"));
        Assert.That(problem.RootElement.GetProperty("realms").EnumerateArray().Select(item => item.GetString()), Is.EqualTo(new[] { "externos" }));
        Assert.That(harness.Simulator.Requests.Where(request => request.Path.Contains($"/admin/realms/{realm}", StringComparison.Ordinal)), Is.Empty,
            "nothing reached the other realm in Keycloak");
    }

    [TestCaseSource(nameof(Routes))]
    public async Task SeveralRealms_AdminTokenOfOneServedRealmForAnother_Is403(string route)
    {
        using var harness = SeveralRealms();
        using var externos = harness.Client(harness.AdminToken());
        using var segundo = harness.Client(SecondAdminToken(harness));

        using var externosForSegundo = await externos.SendAsync(Request(route, Second));
        using var segundoForExternos = await segundo.SendAsync(Request(route, ServiceHarness.Realm));

        Assert.That(externosForSegundo.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await externosForSegundo.Content.ReadAsStringAsync());
        Assert.That(segundoForExternos.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await segundoForExternos.Content.ReadAsStringAsync());
        Assert.That(await segundoForExternos.Content.ReadAsStringAsync(), Does.Contain("realms 'externos', 'segundo'").And.Contain("good for that realm only"));
    }

    [Test]
    public async Task SeveralRealms_AdminTokenOfEachRealm_IsGoodForItsOwnRealm()
    {
        using var harness = SeveralRealms();
        using var externos = harness.Client(harness.AdminToken());
        using var segundo = harness.Client(SecondAdminToken(harness));
        using var segundoWithoutRole = harness.Client(harness.Simulator.IssueToken(Second, new Dictionary<string, object?> { ["aud"] = "idpbridge" }));

        using var own = await externos.GetAsync("/api/admin/realms/externos/rollouts");
        using var second = await segundo.GetAsync($"/api/admin/realms/{Second}/rollouts");
        using var secondPage = await segundo.GetAsync($"/admin/realms/{Second}/ledger");
        using var noRole = await segundoWithoutRole.GetAsync($"/api/admin/realms/{Second}/rollouts");

        Assert.That((own.StatusCode, second.StatusCode, secondPage.StatusCode, noRole.StatusCode),
            Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden)));
    }

    /// <summary>The service administers <c>externos</c> (<c>Realm</c>) and <c>segundo</c> (<c>Realms:0</c>).</summary>
    private static ServiceHarness SeveralRealms()
    {
        var harness = new ServiceHarness(settings: new Dictionary<string, string> { ["IdpBridge:AdminApi:Realms:0"] = Second });
        harness.Simulator.CreateRealm(Second);
        return harness;
    }

    private static string SecondAdminToken(ServiceHarness harness) => harness.Simulator.IssueToken(Second, new Dictionary<string, object?>
    {
        ["aud"] = "idpbridge",
        ["sub"] = "5b0e-segundo-admin",
        ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "idpbridge-admin" } },
    });

    private static HttpRequestMessage Request(string route, string realm)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(route[..space]), route[(space + 1)..].Replace("{realm}", realm, StringComparison.Ordinal));
        if (request.Method == HttpMethod.Post)
        {
            request.Content = new StringContent(
                JsonSerializer.Serialize(new { documents = new[] { new { name = "es.md", content = ServiceHarness.DemoPolicy("v1", "es") } } }),
                Encoding.UTF8,
                new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }
}
