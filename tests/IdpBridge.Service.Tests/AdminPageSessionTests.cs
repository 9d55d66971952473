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
}
