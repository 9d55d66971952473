using System.Net;
using System.Net.Sockets;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>
/// A Keycloak that was never reached (refused connection, unknown host) fails at once; one that answered before and
/// then refuses (a restart in the middle of a run) is retried like any transient failure.
/// </summary>
public sealed class ReachabilityTests
{
    [Test]
    public void FirstRequest_ConnectionRefused_NotRetriedAndSaysUnreachable()
    {
        var attempts = new Attempts();
        using var services = Services($"http://127.0.0.1:{ClosedPort()}", attempts);

        var failure = Assert.ThrowsAsync<KeycloakException>(() => services.GetRequiredService<KeycloakAdminClient>().FindRealmAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(attempts.Count, Is.EqualTo(1), "no retry of a refused first connection");
            Assert.That(failure!.IsUnreachable, Is.True);
            Assert.That(failure.StatusCode, Is.Null);
            Assert.That(failure.Address, Does.StartWith("http://127.0.0.1:"));
            Assert.That(failure.Path, Is.EqualTo("/realms/master/protocol/openid-connect/token"));
        });
    }

    [Test]
    public async Task AfterAnAnswer_ConnectionRefused_IsRetried()
    {
        var attempts = new Attempts();
        var simulator = KeycloakSimulator.Start();
        using var services = Services(simulator.Url, attempts, simulator);
        var client = services.GetRequiredService<KeycloakAdminClient>();
        Assert.That(await client.FindRealmAsync("master"), Is.Not.Null);
        simulator.Dispose();
        attempts.Count = 0;

        var failure = Assert.ThrowsAsync<KeycloakException>(() => client.FindRealmAsync("master"));

        Assert.Multiple(() =>
        {
            Assert.That(attempts.Count, Is.EqualTo(3), "the first try and MaxRetries (2) retries");
            Assert.That(failure!.IsUnreachable, Is.True);
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ServiceProvider Services(string url, Attempts attempts, KeycloakSimulator? simulator = null)
    {
        var services = new ServiceCollection();
        services.AddKeycloakAdminClient(options =>
        {
            options.Url = new Uri(url);
            options.ClientId = simulator?.AdminClientId ?? "idpbridge";
            options.ClientSecret = simulator?.AdminClientSecret ?? "secret";
            options.MaxRetries = 2;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        });
        services.ConfigureAll<HttpClientFactoryOptions>(options =>
            options.HttpMessageHandlerBuilderActions.Add(builder => builder.AdditionalHandlers.Add(new CountingHandler(attempts))));
        return services.BuildServiceProvider();
    }

    private sealed class Attempts
    {
        public int Count { get; set; }
    }

    private sealed class CountingHandler(Attempts attempts) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            attempts.Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
