using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>The simulator serves its tokens and users to this machine only.</summary>
[TestFixture]
public sealed class SimulatorBindingTests
{
    [Test]
    public async Task Start_Listens_OnLoopbackOnly()
    {
        using var sim = KeycloakSimulator.Start();
        var port = new Uri(sim.Url).Port;
        var external = NetworkInterface.GetAllNetworkInterfaces()
            .Where(network => network.OperationalStatus == OperationalStatus.Up)
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));
        Assert.That(external, Is.Not.Null, "the test needs a network interface with an IPv4 address besides loopback");

        using var loopback = new TcpClient();
        await loopback.ConnectAsync(IPAddress.Loopback, port);
        using var outside = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        bool reached;
        try
        {
            await outside.ConnectAsync(external!, port, timeout.Token);
            reached = true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            reached = false;
        }

        Assert.That(loopback.Connected, Is.True);
        Assert.That(reached, Is.False, $"the simulator answered on {external}:{port}");
    }
}
