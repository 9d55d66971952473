using System.Net;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class TokenTests
{
    [Test]
    public async Task ParallelCalls_NoCachedToken_SendOneTokenRequest()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(50);

        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => harness.Client.CountUsersAsync("master")));

        Assert.Multiple(() =>
        {
            Assert.That(harness.Simulator.TokenRequestCount, Is.EqualTo(1));
            Assert.That(harness.AdminRequests, Has.Count.EqualTo(32));
            Assert.That(harness.AdminRequests.Select(request => request.Authorization).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Token_BeforeRenewalMargin_IsReusedAndAfterItIsRenewed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        using var harness = ClientHarness.Start(new SimulatorOptions { TimeProvider = time }, clientTime: time);

        await harness.Client.CountUsersAsync("master");
        time.Advance(TimeSpan.FromSeconds(29)); // the simulator's tokens live 60 s; renewal margin is 30 s
        await harness.Client.CountUsersAsync("master");
        var afterReuse = harness.Simulator.TokenRequestCount;
        time.Advance(TimeSpan.FromSeconds(2));
        await harness.Client.CountUsersAsync("master");

        Assert.Multiple(() =>
        {
            Assert.That(afterReuse, Is.EqualTo(1));
            Assert.That(harness.Simulator.TokenRequestCount, Is.EqualTo(2));
            Assert.That(harness.AdminRequests.Select(request => request.StatusCode), Is.All.EqualTo(200));
            Assert.That(harness.AdminRequests[2].Authorization, Is.Not.EqualTo(harness.AdminRequests[0].Authorization));
        });
    }

    [Test]
    public async Task Call_TokenRevokedByServer_RenewsOnceAndRetriesOnce()
    {
        using var harness = ClientHarness.Start();
        await harness.Client.CountUsersAsync("master");
        harness.Simulator.ClearRequests();
        harness.Simulator.ExpireAllTokens();

        var count = await harness.Client.CountUsersAsync("master");

        var sequence = harness.Simulator.Requests.Select(request => $"{request.Method} {request.Path} {request.StatusCode}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.GreaterThanOrEqualTo(0));
            Assert.That(sequence, Is.EqualTo(new[]
            {
                "GET /admin/realms/master/users/count 401",
                "POST /realms/master/protocol/openid-connect/token 200",
                "GET /admin/realms/master/users/count 200",
            }));
        });
    }

    [Test]
    public void Call_ServerKeepsAnswering401_FailsAfterOneRenewalInsteadOfLooping()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.Faults.FailNext(100, 401);

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.CountUsersAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(harness.AdminRequests, Has.Count.EqualTo(2));
            Assert.That(harness.Simulator.TokenRequestCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void Token_WrongSecret_FailsWithKeycloaksReasonAndNeverShowsTheSecret()
    {
        using var harness = ClientHarness.Start(configure: options => options.ClientSecret = "not-the-secret-5f2c");

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.CountUsersAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(exception.Method, Is.EqualTo("POST"));
            Assert.That(exception.Path, Is.EqualTo("/realms/master/protocol/openid-connect/token"));
            Assert.That(exception.KeycloakError, Is.Not.Null.And.Not.Empty);
            Assert.That(exception.ToString(), Does.Not.Contain("not-the-secret-5f2c"));
            Assert.That(harness.AdminRequests, Is.Empty);
        });
    }
}
