using System.Net;
using IdpBridge.Testing.Simulator;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

public sealed class AdminAuthenticationTests
{
    private const string Endpoint = "/api/admin/realms/externos/policies";

    [Test]
    public async Task AdminApi_NoToken_Is401()
    {
        using var harness = new ServiceHarness();

        var response = await harness.Client().GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AdminApi_ValidAdminToken_Is200()
    {
        using var harness = new ServiceHarness();

        var response = await harness.Client(harness.AdminToken()).GetAsync(Endpoint);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("[]"));
        });
    }

    [Test]
    public async Task AdminApi_ExpiredToken_Is401WithoutSayingWhy()
    {
        using var harness = new ServiceHarness();
        var expired = harness.AdminToken(new Dictionary<string, object?>
        {
            ["exp"] = TimeProvider.System.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds(),
            ["iat"] = TimeProvider.System.GetUtcNow().AddMinutes(-20).ToUnixTimeSeconds(),
        });

        var response = await harness.Client(expired).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"), "no error_description tells a prober why its token failed");
    }

    [Test]
    public async Task AdminApi_WrongIssuer_Is401()
    {
        using var harness = new ServiceHarness();
        var token = harness.AdminToken(new Dictionary<string, object?> { ["iss"] = "https://evil.example.org/realms/externos" });

        var response = await harness.Client(token).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AdminApi_WrongAudience_Is401()
    {
        using var harness = new ServiceHarness();
        var token = harness.AdminToken(new Dictionary<string, object?> { ["aud"] = "account" });

        var response = await harness.Client(token).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AdminApi_TokenWithoutTheAdminRole_Is403()
    {
        using var harness = new ServiceHarness();
        var token = harness.AdminToken(new Dictionary<string, object?>
        {
            ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "offline_access", "uma_authorization" } },
        });

        var response = await harness.Client(token).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AdminApi_TokenSignedByAnotherKeycloak_Is401()
    {
        using var harness = new ServiceHarness();
        using var impostor = KeycloakSimulator.Start();
        impostor.CreateRealm(ServiceHarness.Realm);
        // Same claims, same issuer string: only the signature tells it apart.
        var token = impostor.IssueToken(ServiceHarness.Realm, new Dictionary<string, object?>
        {
            ["iss"] = harness.Simulator.Url + "/realms/externos",
            ["aud"] = "idpbridge",
            ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "idpbridge-admin" } },
        });

        var response = await harness.Client(token).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AdminApi_RealmAccessAsAJsonString_Is403()
    {
        using var harness = new ServiceHarness();
        // Keycloak writes realm_access as an object; a string holding the same JSON is some other issuer's claim.
        var token = harness.AdminToken(new Dictionary<string, object?> { ["realm_access"] = "{\"roles\":[\"idpbridge-admin\"]}" });

        var response = await harness.Client(token).GetAsync(Endpoint);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public void AdminApi_SigningKeys_AreRefreshedWithinMinutes()
    {
        using var harness = new ServiceHarness();
        var bearer = harness.Factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get("IdpBridgeAdminBearer:externos");

        Assert.That(bearer.AutomaticRefreshInterval, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(15)), "a rotated realm key is fetched in minutes, not 12 hours");
        Assert.That(bearer.RefreshInterval, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(1)), "a token with an unknown key id refetches the keys within a minute");
    }
}
