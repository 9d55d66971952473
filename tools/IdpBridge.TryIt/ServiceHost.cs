using System.Globalization;
using IdpBridge.KeycloakLauncher;
using IdpBridge.ProgramStart;

namespace IdpBridge.TryIt;

/// <summary>
/// The real IdpBridge service (its own build output) in a process group of its own, its JSON log appended to
/// <c>service.log</c> in the state folder. A watchdog kills it if try-it dies without stopping it (as the launcher
/// does for Keycloak).
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly ProcessGroup group;
    private readonly string runFolder;

    private ServiceHost(ProcessGroup group, string runFolder)
    {
        this.group = group;
        this.runFolder = runFolder;
    }

    /// <summary>The service's process (group) id.</summary>
    public int ProcessId => group.Id;

    /// <summary>The service's log file.</summary>
    public static string LogFile(TryItSettings settings) => Path.Combine(settings.StateFolder, "service.log");

    /// <summary>Starts the service with <paramref name="environment"/> and waits until <c>/health/live</c> answers 200.</summary>
    public static async Task<ServiceHost> StartAsync(TryItSettings settings, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var variables = IdpBridgeProgram.CleanedEnvironment(environment);

        var runFolder = Directory.CreateDirectory(Path.Combine(settings.StateFolder, "service-run")).FullName;
        var group = ProcessGroup.Start(IdpBridgeProgram.DotnetHost(), [settings.Service], variables, settings.StateFolder, LogFile(settings));
        var host = new ServiceHost(group, runFolder);
        try
        {
            var pidFile = Path.Combine(runFolder, "service.pid");
            await File.WriteAllTextAsync(pidFile, group.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            ProcessGroup.StartWatchdog(Environment.ProcessId, pidFile, runFolder);
            await host.WaitUntilLiveAsync(settings, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the service (SIGTERM, then SIGKILL after 10 s) and ends its watchdog.</summary>
    public async ValueTask DisposeAsync()
    {
        await group.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        group.Dispose();
        if (Directory.Exists(runFolder))
        {
            Directory.Delete(runFolder, recursive: true);
        }
    }

    private async Task WaitUntilLiveAsync(TryItSettings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var live = new Uri($"http://127.0.0.1:{settings.ServicePort.ToString(CultureInfo.InvariantCulture)}/health/live");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (group.HasExited)
            {
                throw new TryItException($"The IdpBridge service exited during start-up; its log is {LogFile(settings)}:\n{Tail(LogFile(settings))}");
            }

            try
            {
                using var response = await http.GetAsync(live, deadline.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                // One slow answer.
            }

            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TryItException($"The IdpBridge service did not answer {live} within {StartTimeout.TotalMinutes} minutes; its log is {LogFile(settings)}.");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(15)) : "(no log)";
}
