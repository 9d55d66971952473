using System.Net;
using IdpBridge.Keycloak.Users;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class ResilienceTests
{
    [Test]
    public async Task UserList_AnswerBreaksOffMidway_ThrowsKeycloakExceptionNotAnIOError()
    {
        // A server that dies while sending a page: headers and the first users, then the connection closes.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n"u8 +
                "[{\"id\":\"1\",\"username\":\"ana\"},{\"id\":\"2\",\"user"u8).ToArray());
            await stream.FlushAsync();
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/admin/realms/") };
        var keycloak = new KeycloakAdminClient(http);
        var seen = new List<string?>();

        var exception = Assert.ThrowsAsync<KeycloakException>(async () =>
        {
            await foreach (var user in keycloak.GetUsersAsync("shop", UserQuery.All, 0, 100))
            {
                seen.Add(user.Username);
            }
        });
        await serving;

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.Null, "no whole answer arrived");
            Assert.That(exception.Message, Does.StartWith("Keycloak did not answer GET /admin/realms/shop/users").And.Contain("broke off midway"));
            Assert.That(exception.InnerException, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>().Or.InstanceOf<System.Text.Json.JsonException>());
            Assert.That(seen, Is.EqualTo(new[] { "ana" }));
        });
    }

    [Test]
    public async Task Read_429WithRetryAfter2_WaitsTwoSecondsBeforeRetrying()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        using var harness = ClientHarness.Start(clientTime: time);
        await harness.Client.CountUsersAsync("master"); // token fetched, so only the retry wait is left to time
        harness.Simulator.ClearRequests();
        harness.Simulator.Faults.FailNext(1, 429, retryAfter: TimeSpan.FromSeconds(2));

        var call = harness.Client.CountUsersAsync("master");
        var waited = TimeSpan.Zero;
        try
        {
            await WaitForAsync(() => harness.AdminRequests.Count == 1);
            // The client's clock moves only when the test moves it: step by 100 ms until the retry arrives. A step
            // taken before the client armed its timer only makes the measure longer, never shorter.
            while (harness.AdminRequests.Count < 2 && waited < TimeSpan.FromSeconds(10))
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                waited += TimeSpan.FromMilliseconds(100);
                await Task.Delay(20);
            }

            await call.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            // Release every timer the client may still hold, so that disposal never waits on a frozen clock.
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "retried before Retry-After elapsed");
            Assert.That(waited, Is.LessThan(TimeSpan.FromSeconds(3)), "waited far longer than Retry-After asked");
            Assert.That(harness.AdminRequests.Select(request => request.StatusCode), Is.EqualTo(new[] { 429, 200 }));
        });
    }

    [Test]
    public async Task Read_503Burst_IsSurvived()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.Faults.FailNext(3, 503);

        var count = await harness.Client.CountUsersAsync("master");

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.GreaterThanOrEqualTo(0));
            Assert.That(harness.AdminRequests.Select(request => request.StatusCode), Is.EqualTo(new[] { 503, 503, 503, 200 }));
        });
    }

    [Test]
    public void Read_PersistentOutage_EndsInAClearErrorAfterTheConfiguredRetries()
    {
        using var harness = ClientHarness.Start(configure: options => options.MaxRetries = 3);
        harness.Simulator.Faults.FailNext(1000, 503);

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.CountUsersAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(exception.Message, Does.StartWith("Keycloak answered 503 ServiceUnavailable to GET /admin/realms/master/users/count"));
            Assert.That(harness.AdminRequests, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public void Read_ConnectionsDropped_EndsInAnErrorWithoutStatus()
    {
        using var harness = ClientHarness.Start(configure: options => options.MaxRetries = 2);
        harness.Simulator.Faults.DropNext(1000);

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.FindRealmAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.Null);
            Assert.That(exception.Message, Does.StartWith("Keycloak did not answer"));
        });
    }

    [Test]
    public async Task Read_OneDroppedConnection_IsRetried()
    {
        using var harness = ClientHarness.Start();
        await harness.Client.CountUsersAsync("master");
        harness.Simulator.Faults.DropNext(1);

        var realm = await harness.Client.FindRealmAsync("master");

        Assert.That(realm?.Realm, Is.EqualTo("master"));
    }

    [Test]
    public void Create_503_IsNotRetried()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");
        harness.Simulator.Faults.FailNext(1, 503);

        var exception = Assert.ThrowsAsync<KeycloakException>(
            () => harness.Client.CreateUserAsync("shop", new UserRepresentation { Username = "ana" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(harness.AdminRequests.Count(request => request.Method == "POST"), Is.EqualTo(1));
            Assert.That(harness.Simulator.Realm("shop").UserCount, Is.Zero);
        });
    }

    [Test]
    public async Task AddRequiredAction_503OnTheWrite_RetriesTheIdempotentPut()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var id = realm.AddUser(TestUsers.New("ana", requiredActions: ["VERIFY_EMAIL"]));
        await harness.Client.CountUsersAsync("shop");
        harness.Simulator.ClearRequests();
        harness.Simulator.Faults.FailNext(1, 503, method: "PUT");

        var result = await harness.Client.AddRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS");

        Assert.Multiple(() =>
        {
            Assert.That(result.Change, Is.EqualTo(RequiredActionChange.Added));
            Assert.That(harness.AdminRequests.Select(request => $"{request.Method} {request.StatusCode}"),
                Is.EqualTo(new[] { "GET 200", "PUT 503", "PUT 204" }));
            Assert.That(TestUsers.RequiredActions(realm, id), Is.EqualTo(new[] { "VERIFY_EMAIL", "TERMS_AND_CONDITIONS" }));
        });
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, "condition not reached in 5 s");
    }
}
