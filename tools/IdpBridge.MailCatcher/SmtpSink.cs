using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdpBridge.MailCatcher;

/// <summary>
/// A mail catcher for tests and the try-it stack: plain SMTP on 127.0.0.1 (a free port, or a given one), no TLS, no
/// authentication, that accepts every message and keeps it in memory, so a test or a person (<see cref="MailPage"/>)
/// can read what Keycloak sent (a verification link). It speaks just enough
/// of RFC 5321 for a real client (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and refuses the
/// rest with 502, which makes a client configured for AUTH or STARTTLS fail loudly instead of sending in the clear.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<ReceivedMail> messages = new();
    private readonly ConcurrentDictionary<Task, byte> sessions = new();
    private readonly Task acceptLoop;
    private TaskCompletionSource arrived = NewSignal();

    private SmtpSink(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The host to give a mail client: <c>127.0.0.1</c>.</summary>
    public string Host => IPAddress.Loopback.ToString();

    /// <summary>The port the sink listens on.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Messages => messages.ToArray();

    /// <summary>Starts a sink on <paramref name="port"/> of 127.0.0.1 (0, the default: a free port).</summary>
    /// <exception cref="SocketException">The port is in use.</exception>
    public static SmtpSink Start(int port = 0) => new(port);

    /// <summary>
    /// Keycloak's realm <c>smtpServer</c> settings for this sink (plain, no authentication), sending as
    /// <paramref name="from"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> KeycloakSettings(string from, string? fromDisplayName = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = Host,
            ["port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["from"] = from,
            ["auth"] = "false",
            ["ssl"] = "false",
            ["starttls"] = "false",
        };
        if (fromDisplayName is not null)
        {
            settings["fromDisplayName"] = fromDisplayName;
        }

        return settings;
    }

    /// <summary>
    /// The first message (received already or still to come) that <paramref name="match"/> accepts; after
    /// <paramref name="timeout"/> a <see cref="TimeoutException"/> lists what did arrive.
    /// </summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var signal = Volatile.Read(ref arrived).Task;
            if (messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                var seen = messages.IsEmpty ? "none" : string.Join("; ", messages.Select(m => $"to {string.Join(",", m.To)}: {m.Subject}"));
                throw new TimeoutException($"No matching mail reached the SMTP sink on port {Port} within {timeout}. Received: {seen}.");
            }
        }
    }

    /// <summary>Stops listening and ends open sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(sessions.Keys).ConfigureAwait(false);
        stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var session = Task.Run(() => ServeAsync(client));
            sessions[session] = 0;
            _ = session.ContinueWith(done => sessions.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        // Latin-1 maps every byte to one char and back: an 8bit body survives until its charset is known.
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        var recipients = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 idpbridge-smtp-sink ESMTP ready").ConfigureAwait(false);
            while (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteAsync("250-idpbridge-smtp-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").ConfigureAwait(false);
                        break;
                    case "HELO" or "NOOP":
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "MAIL" or "RSET":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await writer.WriteLineAsync("250 OK").ConfigureAwait(false);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>").ConfigureAwait(false);
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        messages.Enqueue(ReceivedMail.Parse(recipients.ToArray(), data.ToString()));
                        Interlocked.Exchange(ref arrived, NewSignal()).TrySetResult();
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK: queued").ConfigureAwait(false);
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye").ConfigureAwait(false);
                        return;
                    default:
                        await writer.WriteLineAsync($"502 {verb} not implemented (a plain sink: no AUTH, no STARTTLS)").ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
