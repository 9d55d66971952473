using System.Net;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>Readiness is cheap to ask: a load balancer's probes do not become a stream of Admin API calls.</summary>
public sealed class HealthEndpointsTests
{
    [Test]
    public async Task Ready_AskedManyTimesInAFewSeconds_AsksKeycloakAtMostOnce()
    {
        using var harness = new ServiceHarness();
        using var probe = harness.Client();
        Assert.That((await probe.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        harness.Simulator.ClearRequests();

        for (var hit = 0; hit < 5; hit++)
        {
            Assert.That((await probe.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // At most one: a background worker may read the realm at the same moment.
        var realmReads = harness.Simulator.Requests.Count(request => request.Method == "GET" && request.Path.EndsWith("/admin/realms/externos", StringComparison.Ordinal));
        Assert.That(realmReads, Is.LessThanOrEqualTo(1));
    }
}
