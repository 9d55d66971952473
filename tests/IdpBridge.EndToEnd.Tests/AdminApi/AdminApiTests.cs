using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.AdminApi;

/// <summary>
/// The real service's admin API and admin page with tokens the real Keycloak issued: the service accepts the demo
/// realm's tokens (<c>IdpBridge__AdminApi__Realm</c>) for the audience <c>idpbridge</c> with the realm role
/// <c>idpbridge-admin</c>, for the demo realm only, and nothing else. A refused write changes nothing, read back from
/// Keycloak.
/// </summary>
[NonParallelizable]
public sealed class AdminApiTests
{
    /// <summary>Reads and writes of the admin API, and the admin page: <c>{realm}</c> is the demo realm.</summary>
    private static readonly string[] Routes =
    [
        "GET /api/admin/realms/{realm}/rollouts",
        "GET /api/admin/realms/{realm}/ledger/export?format=csv",
        "POST /api/admin/realms/{realm}/ledger/sync",
        "POST /api/admin/realms/{realm}/policies/privacy/versions",
        "GET /admin/realms/{realm}/ledger",
    ];

    /// <summary>Stands for the other realm of the server in test cases (its name is made when the fixture starts).</summary>
    private const string OtherRealm = "{other}";

    private DemoStack stack = null!;
    private TestRealm otherRealm = null!;
    private RealmTokens tokens = null!;
    private RealmTokens otherTokens = null!;
    private HttpClient service = null!;
    private string admin = null!;
    private string plain = null!;
    private string otherAdmin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        stack = await DemoStack.StartAsync();
        // No clock skew allowed, so that a token Keycloak issued for one second is refused two seconds later.
        await stack.StartServiceAsync(new Dictionary<string, string> { ["IdpBridge__AdminApi__ClockSkew"] = "00:00:00" });
        service = new HttpClient { BaseAddress = stack.Service.Url, Timeout = TimeSpan.FromMinutes(1) };
        tokens = await RealmTokens.SetUpAsync(stack.Admin, stack.Keycloak, stack.Name);
        admin = await tokens.PersonAsync("alba", isAdmin: true);
        plain = await tokens.PersonAsync("pablo", isAdmin: false);

        // Another realm of the same server, set up the same way: its admins are not this service's admins.
        otherRealm = await TestRealm.CreateAsync(stack.Admin, "other");
        otherTokens = await RealmTokens.SetUpAsync(stack.Admin, stack.Keycloak, otherRealm.Name);
        otherAdmin = await otherTokens.PersonAsync("olga", isAdmin: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        service?.Dispose();
        tokens?.Dispose();
        otherTokens?.Dispose();
        if (otherRealm is not null)
        {
            await otherRealm.DisposeAsync();
        }

        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_NoToken_Is401AndChangesNothing(string route)
    {
        var response = await SendAsync(route, null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.ToString());
        Assert.That(response.WwwAuthenticate, Does.StartWith("Bearer"));
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_GarbageOrTamperedToken_Is401(string route)
    {
        var token = await tokens.TokenAsync(admin);
        var tampered = token[..token.LastIndexOf('.')] + "." + new string('A', 43);

        var garbage = await SendAsync(route, "not-a-token");
        var forged = await SendAsync(route, tampered);

        Assert.That((garbage.Status, forged.Status), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)), $"{garbage}\n{forged}");
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_ExpiredToken_Is401(string route)
    {
        var token = await tokens.TokenAsync(admin, RealmTokens.ShortLivedClient);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var response = await SendAsync(route, token);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.ToString());
        Assert.That(response.WwwAuthenticate, Is.EqualTo("Bearer"), "the bearer challenge does not say why");
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_TokenWithoutTheIdpBridgeAudience_Is401(string route)
    {
        var response = await SendAsync(route, await tokens.TokenAsync(admin, RealmTokens.NoAudienceClient));

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.ToString());
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_AdminTokenOfAnotherRealmOfTheServer_Is401(string route)
    {
        var response = await SendAsync(route, await otherTokens.TokenAsync(otherAdmin));

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.ToString());
        await AssertNothingPublishedAsync();
    }

    /// <summary>
    /// The demo realm's admin, with the role, asks about <c>master</c> or the other realm of the same server: refused,
    /// with a problem naming the realm this service administers, and nothing reaches that realm.
    /// </summary>
    [TestCaseSource(nameof(RoutesOfOtherRealms))]
    public async Task AdminRoute_AdminTokenForMasterOrAnotherRealm_Is403AndChangesNothing(string route, string target)
    {
        var realm = target == OtherRealm ? otherRealm.Name : target;

        var response = await SendAsync(route, await tokens.TokenAsync(admin), realm: realm);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Forbidden), response.ToString());
        Assert.That(response.Body, Does.Contain($"administers realm '{stack.Name}'"), response.ToString());
        await AssertNothingPublishedAsync(realm);
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_ValidTokenWithoutTheRole_Is403AndChangesNothing(string route)
    {
        var response = await SendAsync(route, await tokens.TokenAsync(plain));

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Forbidden), response.ToString());
        await AssertNothingPublishedAsync();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task AdminRoute_TokenWithTheRole_Succeeds(string route)
    {
        var response = await SendAsync(route, await tokens.TokenAsync(admin), "v1");

        switch (route)
        {
            case var r when r.EndsWith("/rollouts", StringComparison.Ordinal):
                Assert.That((response.Status, response.Body), Is.EqualTo((HttpStatusCode.OK, "[]")));
                break;
            case var r when r.Contains("/export", StringComparison.Ordinal):
                Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
                Assert.That(response.Body, Does.StartWith("\uFEFFrecord_id,realm,user_id,username"));
                break;
            case var r when r.EndsWith("/sync", StringComparison.Ordinal):
                Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
                Assert.That(JsonNode.Parse(response.Body)!["eventsEnabled"]!.GetValue<bool>(), Is.True, "it read the realm's event settings from Keycloak");
                break;
            case var r when r.EndsWith("/versions", StringComparison.Ordinal):
                Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Created), response.ToString());
                Assert.That(await TermsTextAsync(), Does.Contain("Versión 1"), "the terms step Keycloak shows now carries version 1");
                break;
            default:
                Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
                Assert.That(response.Body, Does.Contain($"<h1>Acceptance record of realm {stack.Name}</h1>"));
                break;
        }
    }

    private static IEnumerable<TestCaseData> RoutesOfOtherRealms() =>
        Routes.SelectMany(route => new[] { "master", OtherRealm }.Select(realm => new TestCaseData(route, realm)));

    /// <summary>
    /// A refused publication (of version 2, which no accepted request sends) left Keycloak's terms text of
    /// <paramref name="realm"/> (default the demo realm) alone.
    /// </summary>
    private async Task AssertNothingPublishedAsync(string? realm = null) =>
        Assert.That(await TermsTextAsync(realm), Does.Not.Contain("Versión 2"), $"the refused publication of version 2 reached realm {realm ?? stack.Name} in Keycloak");

    private async Task<string> TermsTextAsync(string? realm = null)
    {
        var text = await stack.Admin.SendAsync(HttpMethod.Get, $"realms/{Uri.EscapeDataString(realm ?? stack.Name)}/localization/es/termsText", ensureSuccess: false);
        return text.Text;
    }

    /// <summary>
    /// Sends <paramref name="route"/> about <paramref name="realm"/> (default the demo realm) with <paramref name="token"/>
    /// as a bearer token (none when null). A publication carries the demo policy <paramref name="version"/>: v2 unless
    /// the request is meant to succeed.
    /// </summary>
    private async Task<ServiceAnswer> SendAsync(string route, string? token, string version = "v2", string? realm = null)
    {
        var (method, path) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        using var request = new HttpRequestMessage(
            new HttpMethod(method), path.Replace("{realm}", Uri.EscapeDataString(realm ?? stack.Name), StringComparison.Ordinal).TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (path.EndsWith("/versions", StringComparison.Ordinal))
        {
            request.Content = new StringContent(PublishBody(version).ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await service.SendAsync(request);
        return new ServiceAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.ToString());
    }

    private JsonObject PublishBody(string version)
    {
        var folder = Path.Combine(stack.Realm.Folder, "policies", "privacy", version);
        return new JsonObject
        {
            ["documents"] = new JsonArray(new[] { "es.md", "en.md" }
                .Select(name => (JsonNode?)new JsonObject { ["name"] = name, ["content"] = File.ReadAllText(Path.Combine(folder, name)) }).ToArray()),
        };
    }

    private sealed record ServiceAnswer(HttpStatusCode Status, string Body, string WwwAuthenticate)
    {
        public override string ToString() => $"{(int)Status} {WwwAuthenticate} {(Body.Length > 300 ? Body[..300] : Body)}";
    }
}
