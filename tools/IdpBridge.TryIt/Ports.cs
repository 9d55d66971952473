using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IdpBridge.TryIt;

/// <summary>Checks, before anything starts, that the ports a run needs are free on 127.0.0.1.</summary>
internal static class Ports
{
    /// <summary>Throws a <see cref="TryItException"/> naming every port in use, what it was for and the option that moves it.</summary>
    public static void EnsureFree(TryItSettings settings)
    {
        var wanted = new (string What, int Port, string Option)[]
        {
            ("Keycloak", settings.KeycloakPort, "--keycloak-port"),
            ("the IdpBridge service", settings.ServicePort, "--service-port"),
            ("the mail catcher's page", settings.MailPort, "--mail-port"),
            ("the mail catcher's SMTP server", settings.SmtpPort, "--smtp-port"),
        };
        var duplicates = wanted.GroupBy(port => port.Port).Where(group => group.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            throw new TryItException($"Port {duplicates[0].Key.ToString(CultureInfo.InvariantCulture)} is given to " +
                                     $"{string.Join(" and ", duplicates[0].Select(port => port.What))}: give each its own.");
        }

        var taken = wanted.Where(port => !IsFree(port.Port)).ToList();
        if (taken.Count > 0)
        {
            throw new TryItException(
                string.Join("; ", taken.Select(port => $"port {port.Port.ToString(CultureInfo.InvariantCulture)} on 127.0.0.1 (for {port.What}) is in use by another program")) +
                $". Stop that program (`ss -ltnp` shows which one), or choose other ports with {string.Join(", ", taken.Select(port => port.Option))}.");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
