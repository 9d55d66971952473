using System.Net;
using System.Net.Sockets;

namespace IdpBridge.Service.Startup;

/// <summary>
/// The addresses the service is told to listen on (<c>ASPNETCORE_URLS</c> or <c>--urls</c>, else
/// <c>ASPNETCORE_HTTP_PORTS</c>), checked before the host starts: Kestrel finds a malformed or busy address only after
/// the workers are running, logs it with a stack trace and then waits for them to stop.
/// </summary>
internal sealed class ListenAddresses
{
    private const string UrlsSetting = "ASPNETCORE_URLS (or --urls)";

    private readonly IReadOnlyList<(string Text, BindingAddress Address)> addresses;

    private ListenAddresses(IReadOnlyList<(string Text, BindingAddress Address)> addresses) => this.addresses = addresses;

    /// <summary>Reads and parses the addresses; throws <see cref="ListenAddressException"/> naming the setting for a bad one.</summary>
    public static ListenAddresses Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var parsed = new List<(string, BindingAddress)>();
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            foreach (var text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                parsed.Add((text, Parse(text)));
            }
        }
        else if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            foreach (var port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 0 or > 65535)
                {
                    throw new ListenAddressException($"ASPNETCORE_HTTP_PORTS must list port numbers (0-65535) separated by ';', not '{port}'.");
                }

                parsed.Add(($"http://*:{number}", BindingAddress.Parse($"http://*:{number}")));
            }
        }

        return new ListenAddresses(parsed);
    }

    /// <summary>Throws <see cref="ListenAddressException"/> when a fixed port cannot be listened on (in use, or privileged).</summary>
    public void CheckFree()
    {
        foreach (var (text, address) in addresses.Where(entry => entry.Address.Port > 0 && !entry.Address.IsUnixPipe))
        {
            var endpoint = new IPEndPoint(Host(address.Host), address.Port);
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: a port whose old connections linger in TIME_WAIT is free, a listening one is not.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                socket.Bind(endpoint);
                socket.Listen();
            }
            catch (SocketException exception)
            {
                throw new ListenAddressException(exception.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => $"{UrlsSetting}: {text} is already in use by another process; choose another port.",
                    SocketError.AccessDenied => $"{UrlsSetting}: {text} needs privileges this user lacks (ports below 1024); choose a port of 1024 or more.",
                    SocketError.AddressNotAvailable => $"{UrlsSetting}: {text} names an address this machine does not have.",
                    _ => $"{UrlsSetting}: cannot listen on {text}: {exception.Message}",
                });
            }
        }
    }

    private static BindingAddress Parse(string text)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(text);
        }
        catch (FormatException)
        {
            throw new ListenAddressException($"{UrlsSetting} must list URLs such as http://0.0.0.0:8081 separated by ';', not '{text}'.");
        }

        if (address.Scheme is not ("http" or "https") || (!address.IsUnixPipe && address.Port is < 0 or > 65535))
        {
            throw new ListenAddressException($"{UrlsSetting}: '{text}' must be http or https with a port from 0 to 65535.");
        }

        return address;
    }

    /// <summary>The address Kestrel listens on for <paramref name="host"/>: an IP as written, loopback for localhost, else every IPv4 address.</summary>
    private static IPAddress Host(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip
        : IPAddress.Any;
}

/// <summary>An address the service cannot listen on; the message names the setting.</summary>
internal sealed class ListenAddressException(string message) : Exception(message);
