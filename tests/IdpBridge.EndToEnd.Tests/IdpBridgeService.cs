using System.Text.RegularExpressions;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>
/// The real IdpBridge service (<c>IdpBridge.Service.dll</c>) as its own process on a free port of 127.0.0.1,
/// configured only through the environment, as the stack runs it. Disposing kills it.
/// </summary>
internal sealed partial class IdpBridgeService : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly RunningCli process;

    private IdpBridgeService(RunningCli process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    /// <summary>The service's base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>What the service logged so far (JSON lines).</summary>
    public string Log => process.Output;

    /// <summary>Starts the service with <paramref name="settings"/> (environment variables) and waits until it answers <c>/health/live</c>.</summary>
    public static async Task<IdpBridgeService> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var program = IdpBridgeProcess.Service();
        foreach (var (name, value) in settings)
        {
            program.Environment[name] = value;
        }

        program.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var running = program.Start();
        try
        {
            var url = await ListeningUrlAsync(running).ConfigureAwait(false);
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
            using var live = await http.GetAsync(new Uri("health/live", UriKind.Relative)).ConfigureAwait(false);
            if (!live.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The IdpBridge service answered /health/live with {(int)live.StatusCode}.\n{running.Output}\n{running.Error}");
            }

            return new IdpBridgeService(running, url);
        }
        catch
        {
            running.Dispose();
            throw;
        }
    }

    public void Dispose() => process.Dispose();

    // Kestrel says where it listens once it does: "Now listening on: http://127.0.0.1:41234" (in a JSON log line).
    private static async Task<Uri> ListeningUrlAsync(RunningCli running)
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (Listening().Match(running.Output) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value + "/");
            }

            if (running.HasExited || deadline.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"The IdpBridge service did not start listening ({(running.HasExited ? "it exited" : $"within {StartTimeout}")}).\n" +
                    $"--- stdout\n{running.Output}\n--- stderr\n{running.Error}");
            }

            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex Listening();
}
