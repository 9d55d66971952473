using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

[TestFixture]
public sealed class SimulatorTokenAndFaultTests
{
    [Test]
    public async Task Token_ClientCredentials_ResponseShapeAndJwksValidatesSignature()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = sim.AdminClientId, ["client_secret"] = sim.AdminClientSecret,
        });

        using var response = await http.PostAsync(new Uri(sim.Url + "/realms/master/protocol/openid-connect/token"), form);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var jwks = await http.GetStringAsync(new Uri(sim.Url + "/realms/master/protocol/openid-connect/certs"));
        var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(sim.Url + "/realms/master/.well-known/openid-configuration")))!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(json["access_token"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidIssuer = sim.Url + "/realms/master",
            ValidateAudience = false,
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        });

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(json["expires_in"]!.GetValue<int>(), Is.EqualTo(60));
        Assert.That(json["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(json["refresh_expires_in"]!.GetValue<int>(), Is.Zero);
        Assert.That(json["not-before-policy"]!.GetValue<int>(), Is.Zero);
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(result.Claims["azp"], Is.EqualTo(sim.AdminClientId));
        Assert.That(discovery["jwks_uri"]!.GetValue<string>(), Is.EqualTo(sim.Url + "/realms/master/protocol/openid-connect/certs"));
        Assert.That(sim.TokenRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Token_BadSecret_401UnauthorizedClient()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = sim.AdminClientId, ["client_secret"] = "wrong",
        });

        using var response = await http.PostAsync(new Uri(sim.Url + "/realms/master/protocol/openid-connect/token"), form);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
        Assert.That(json["error"]!.GetValue<string>(), Is.EqualTo("unauthorized_client"));
        Assert.That(json["error_description"]!.GetValue<string>(), Is.EqualTo("Invalid client or Invalid client credentials"));
    }

    [Test]
    public async Task AdminCall_TokenExpiredOnFakeClockOrRevoked_401()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var sim = KeycloakSimulator.Start(new SimulatorOptions { TimeProvider = time });
        using var http = await AdminClientAsync(sim);

        var (fresh, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");
        time.Advance(TimeSpan.FromSeconds(61));
        var (expired, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");
        http.DefaultRequestHeaders.Authorization = new("Bearer", await GetAdminTokenAsync(http, sim));
        sim.ExpireAllTokens();
        var (revoked, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");

        Assert.That(fresh, Is.EqualTo(200));
        Assert.That(expired, Is.EqualTo(401));
        Assert.That(revoked, Is.EqualTo(401));
    }

    [Test]
    public async Task IssueToken_ArbitraryClaims_ValidatesWithJwks()
    {
        using var sim = KeycloakSimulator.Start();
        sim.CreateRealm("externos");
        using var http = new HttpClient();

        var token = sim.IssueToken("externos", new Dictionary<string, object?> { ["sub"] = "u1", ["realm_access"] = new { roles = new[] { "idpbridge-admin" } } });
        var jwks = await http.GetStringAsync(new Uri(sim.Url + "/realms/externos/protocol/openid-connect/certs"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = sim.Url + "/realms/externos",
            ValidateAudience = false,
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
        });

        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(result.Claims["sub"], Is.EqualTo("u1"));
    }

    [Test]
    public async Task Faults_Latency_DelaysEveryRequest()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = await AdminClientAsync(sim);
        sim.Faults.Latency = TimeSpan.FromMilliseconds(200);

        var watch = Stopwatch.StartNew();
        var (status, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190)));
    }

    [Test]
    public async Task Faults_MaxInFlight_QueuesBeyondCapAndQueueLimitAnswers503()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = await AdminClientAsync(sim);
        sim.Faults.Latency = TimeSpan.FromMilliseconds(100);
        sim.Faults.MaxInFlight = 4;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ => (await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master")).Status));
        var peak = sim.Faults.PeakInFlight;
        sim.Faults.MaxQueued = 2;
        var limited = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ => (await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master")).Status));

        Assert.That(statuses, Is.All.EqualTo(200));
        Assert.That(peak, Is.EqualTo(4));
        Assert.That(limited.Count(s => s == 200), Is.EqualTo(6));
        Assert.That(limited.Count(s => s == 503), Is.EqualTo(6));
    }

    [Test]
    public async Task Faults_FailNext_BurstWithRetryAfterThenNormal()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = await AdminClientAsync(sim);
        sim.Faults.FailNext(2, 429, TimeSpan.FromSeconds(1.2));

        var (first, _, firstResponse) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");
        var (second, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");
        var (third, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");
        sim.Faults.FailNext(1, 503);
        var (unavailable, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");

        Assert.That(first, Is.EqualTo(429));
        Assert.That(firstResponse.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(second, Is.EqualTo(429));
        Assert.That(third, Is.EqualTo(200));
        Assert.That(unavailable, Is.EqualTo(503));
        Assert.That(sim.Requests.Where(r => r.Path.StartsWith("/admin", StringComparison.Ordinal)).Select(r => r.StatusCode), Is.EqualTo(new[] { 429, 429, 200, 503 }));
    }

    [Test]
    public async Task Faults_DropNext_ConnectionClosedWithoutResponse()
    {
        using var sim = KeycloakSimulator.Start();
        using var http = await AdminClientAsync(sim);
        sim.Faults.DropNext(1);

        Assert.That(async () => await http.GetAsync(new Uri(sim.Url + "/admin/realms/master")), Throws.InstanceOf<HttpRequestException>());
        var (after, _, _) = await SendAsync(http, HttpMethod.Get, sim.Url + "/admin/realms/master");

        Assert.That(after, Is.EqualTo(200));
        Assert.That(sim.Requests.Where(r => r.Path == "/admin/realms/master").Select(r => r.StatusCode), Is.EqualTo(new[] { 0, 200 }));
    }
}
