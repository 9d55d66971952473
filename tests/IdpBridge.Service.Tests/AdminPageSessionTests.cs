using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The admin page's browser session: where Keycloak sends the browser back (the configured public address, never the
/// request's Host), the cookie (Secure, short-lived), and signing out (Keycloak's session ends too).
/// </summary>
public sealed class AdminPageSessionTests
{
    private const string CookieScheme = "IdpBridgeAdminCookie:externos";

    private ServiceHarness harness = null!;
    private WebApplicationFactory<Program> pages = null!;

    [SetUp]
    public void Start()
    {
        harness = new ServiceHarness();
        pages = harness.Factory.WithWebHostBuilder(host => host.UseSetting("IdpBridge:AdminApi:PageClientId", "idpbridge-pages"));
    }

    [TearDown]
    public void Stop()
    {
        pages.Dispose();
        harness.Dispose();
    }

    [Test]
    public async Task SignIn_HostHeaderOfAnotherSite_SendsKeycloakBackToThePublicBaseUrl()
    {
        using var browser = pages.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await browser.GetAsync(new Uri("http://evil.example/admin/realms/externos/ledger"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo("https://idp.example.org/admin/realms/externos/signin-oidc"));
    }

    [Test]
    public void PageCookie_PublicBaseUrlIsHttps_IsAlwaysSecure()
    {
        var cookie = pages.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieScheme);

        // TLS often ends at a proxy: the request the service sees is http, the browser's is https.
        Assert.That(cookie.Cookie.SecurePolicy, Is.EqualTo(CookieSecurePolicy.Always));
    }

    [Test]
    public void PageCookie_Lifetime_IsFiveMinutesSoTheRoleIsReadAgainFromKeycloak()
    {
        var cookie = pages.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieScheme);

        Assert.That((cookie.ExpireTimeSpan, cookie.SlidingExpiration), Is.EqualTo((TimeSpan.FromMinutes(5), false)),
            "after five minutes the browser signs in again (silently while its Keycloak session lasts) and brings the roles it has now");
    }

    [Test]
    public async Task SignOut_PageSession_DeletesTheCookieAndEndsTheKeycloakSession()
    {
        using var browser = pages.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await browser.GetAsync("/admin/realms/externos/signout");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo($"{harness.Simulator.Url}/realms/externos/protocol/openid-connect/logout"));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.That(query["client_id"].ToString(), Is.EqualTo("idpbridge-pages"));
        Assert.That(query["post_logout_redirect_uri"].ToString(), Is.EqualTo("https://idp.example.org/admin/realms/externos/signout-callback-oidc"));
        Assert.That(response.Headers.GetValues("Set-Cookie"), Has.Some.StartsWith("idpbridge_admin=;").And.Contains("path=/admin/realms/externos"));
    }
}
