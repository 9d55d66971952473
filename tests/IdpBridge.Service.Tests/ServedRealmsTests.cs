using System.Net;
using IdpBridge.Service.Startup;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The service works on the realms it serves (<c>IdpBridge:AdminApi:Realm</c>), not on the realm its admin token comes
/// from (<c>IdpBridge:Keycloak:Realm</c>, here master), and says which at start-up; liveness never depends on Keycloak.
/// </summary>
public sealed class ServedRealmsTests
{
    [Test]
    public async Task Workers_AdminTokenFromMaster_WorkOnTheServedRealmOnly()
    {
        using var harness = new ServiceHarness();
        var logs = new LogCapture(LogLevel.Information);
        await using var factory = harness.Factory.WithWebHostBuilder(host =>
        {
            host.UseSetting("IdpBridge:Keycloak:Realm", "master");
            host.UseSetting("IdpBridge:Keycloak:ClientId", harness.Simulator.AdminClientId);
            host.UseSetting("IdpBridge:Keycloak:ClientSecret", harness.Simulator.AdminClientSecret);
            host.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        using var client = factory.CreateClient();

        // The ledger worker syncs at once: it reads the realm's events.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!harness.Simulator.Requests.Any(request => request.Path.StartsWith("/admin/realms/externos/events", StringComparison.Ordinal))
            && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var ready = await client.GetAsync("/health/ready");
        var adminPaths = harness.Simulator.Requests.Select(request => request.Path).Where(path => path.StartsWith("/admin/realms/", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(adminPaths, Has.Some.StartsWith("/admin/realms/externos/events"), string.Join("\n", adminPaths));
            Assert.That(adminPaths, Has.None.StartsWith("/admin/realms/master"), "nothing is synced, checked or rolled out in the token's realm");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "readiness checks the served realm");
            Assert.That(logs.Count(typeof(ServedRealmsLog), LogLevel.Information, "Serving realm(s) externos of Keycloak " + harness.Simulator.Url),
                Is.EqualTo(1), logs.ToString());
            Assert.That(logs.Count(typeof(ServedRealmsLog), LogLevel.Information, "the admin token comes from realm master (IdpBridge:Keycloak:Realm)"),
                Is.EqualTo(1), logs.ToString());
        });
    }

    [Test]
    public async Task Ready_ServedRealmMissing_NamesItAndTheSetting()
    {
        using var harness = new ServiceHarness();
        await using var factory = harness.Factory.WithWebHostBuilder(host =>
        {
            host.UseSetting("IdpBridge:Keycloak:Realm", "master");
            host.UseSetting("IdpBridge:Keycloak:ClientId", harness.Simulator.AdminClientId);
            host.UseSetting("IdpBridge:Keycloak:ClientSecret", harness.Simulator.AdminClientSecret);
            host.UseSetting("IdpBridge:AdminApi:Realms:0", "internos");
        });
        var report = await factory.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>()
            .CheckHealthAsync(check => check.Name == "keycloak");

        Assert.That(report.Entries["keycloak"].Description,
            Is.EqualTo("Keycloak answers but realm 'internos' (IdpBridge:AdminApi:Realm/Realms) is not visible to the service account."));
    }

    [Test]
    public async Task Live_TokenSchemesCannotReadKeys_StillAnswers200()
    {
        using var harness = new ServiceHarness();
        // The defect of a plain-http Keycloak with https metadata required, past start-up: every token scheme throws.
        await using var factory = harness.Factory.WithWebHostBuilder(host =>
            host.ConfigureTestServices(services => services.ConfigureAll<JwtBearerOptions>(bearer => bearer.RequireHttpsMetadata = true)));
        using var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
