using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace IdpBridge.KeycloakLauncher;

/// <summary>
/// One real Keycloak server (<c>kc.sh start-dev</c>, embedded H2 database) on loopback, with a home of its own: its
/// own <c>data/</c>, <c>themes/</c>, <c>providers/</c> and build output, the distribution's jars shared read-only
/// through a link. Started with a bootstrap admin client and a bootstrap admin user whose secrets are random.
/// </summary>
/// <remarks>
/// The home is laid out at each start from the cached distribution, so themes and providers are always fresh copies.
/// Keycloak's build step (which <c>start-dev</c> runs when the providers or build options change, about 25 s on
/// 2 cores) is saved in the cache under a key of the zip, the providers and the options, and reused by later servers.
/// The server runs in a process group of its own; a watchdog kills it and deletes its home if the process that
/// started it dies without stopping it.
/// </remarks>
public sealed class KeycloakServer : IAsyncDisposable
{
    private const string HomePrefix = "idpbridge-kc-";

    /// <summary>What Keycloak logs when its port is in use (<c>QuarkusBindException</c>).</summary>
    private const string PortTaken = "Port already bound";
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(20);

    private readonly KeycloakDistribution distribution;
    private readonly KeycloakServerOptions options;
    private readonly string buildKey;
    private ProcessGroup? group;
    private int disposed;

    private KeycloakServer(KeycloakDistribution distribution, KeycloakServerOptions options, string home, string buildKey)
    {
        this.distribution = distribution;
        this.options = options;
        this.buildKey = buildKey;
        Home = home;
        ChoosePorts();
        AdminClientId = options.AdminClientId;
        AdminClientSecret = RandomSecret();
        AdminPassword = RandomSecret();
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c> (admin API under <c>/admin/realms</c>).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The management interface (<c>/health/ready</c>, <c>/metrics</c>).</summary>
    public Uri ManagementUrl { get; private set; } = null!;

    /// <summary>The bootstrap admin client's id, in realm <c>master</c>.</summary>
    public string AdminClientId { get; }

    /// <summary>Its secret (random per server). Never logged.</summary>
    public string AdminClientSecret { get; }

    /// <summary>The bootstrap admin user of <c>master</c>.</summary>
    public string AdminUsername => "admin";

    /// <summary>Its password (random per server). Never logged.</summary>
    public string AdminPassword { get; }

    /// <summary>The server's home folder (deleted when the server is disposed).</summary>
    public string Home { get; }

    /// <summary>The server's log: everything <c>kc.sh</c> printed, across restarts.</summary>
    public string LogFile => Path.Combine(Home, "server.log");

    /// <summary>Keycloak's version.</summary>
    public string Version => distribution.Version;

    /// <summary>The distribution it runs.</summary>
    public KeycloakDistribution Distribution => distribution;

    /// <summary>How long the last start took, until ready.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Whether the last start reused a saved build (no build step).</summary>
    public bool BuildReused { get; private set; }

    /// <summary>The server's process id (the group's id), while it runs.</summary>
    public int? ProcessId => group is { HasExited: false } running ? running.Id : null;

    /// <summary>Lays out a home for a new server and starts it; returns once it is ready.</summary>
    public static async Task<KeycloakServer> StartAsync(
        KeycloakDistribution distribution, KeycloakServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        options ??= new KeycloakServerOptions();
        JavaRuntime.Find();
        foreach (var missing in options.Themes.Where(theme => !Directory.Exists(theme)).Concat(options.Providers.Where(jar => !File.Exists(jar))))
        {
            throw new KeycloakLaunchException($"{missing} does not exist (a theme folder or provider jar to install in Keycloak).");
        }

        var parent = options.HomeParent ?? Path.GetTempPath();
        Directory.CreateDirectory(parent);
        RemoveAbandonedHomes(parent);
        var home = Directory.CreateDirectory(Path.Combine(parent, HomePrefix + Guid.NewGuid().ToString("N")[..12])).FullName;
        var server = new KeycloakServer(distribution, options, home, BuildKey(distribution, options));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(home, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken)
                .ConfigureAwait(false);
            ProcessGroup.StartWatchdog(Environment.ProcessId, Path.Combine(home, "server.pid"), home);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (KeycloakLaunchException exception) when (exception.Message.Contains(PortTaken, StringComparison.Ordinal)
                                                                 && options.HttpPort == 0 && options.ManagementPort == 0 && attempt < 3)
                {
                    // A free port was taken between the probe and Keycloak's bind (another test process): take others.
                    server.ChoosePorts();
                }
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the server at once (<c>kill -9</c> of its process group): what it had not written to disk is lost.</summary>
    public async Task KillAsync()
    {
        if (group is { } running)
        {
            await running.KillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server (SIGTERM, then SIGKILL after 20 s) and keeps its home, so <see cref="StartAgainAsync"/> can follow.</summary>
    public async Task StopAsync()
    {
        if (group is { } running)
        {
            await running.StopAsync(GracefulStop).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the server again on the same home, ports and secrets (its data as it was left); returns once ready.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last <paramref name="lines"/> lines of the server's log.</summary>
    public string LogTail(int lines = 40)
    {
        if (!File.Exists(LogFile))
        {
            return "(no log)";
        }

        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var tail = new Queue<string>();
        while (reader.ReadLine() is { } line)
        {
            tail.Enqueue(line);
            if (tail.Count > lines)
            {
                tail.Dequeue();
            }
        }

        return string.Join('\n', tail);
    }

    /// <summary>Stops the server and deletes its home.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        group?.Dispose();
        TryDelete(Home);
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        BuildReused = LayOutHome();
        var arguments = new List<string>
        {
            "start-dev",
            "--http-host=127.0.0.1",
            $"--http-port={BaseUrl.Port.ToString(CultureInfo.InvariantCulture)}",
            $"--http-management-port={ManagementUrl.Port.ToString(CultureInfo.InvariantCulture)}",
            "--health-enabled=true",
        };
        arguments.AddRange(options.Arguments);

        group?.Dispose();
        group = ProcessGroup.Start(Path.Combine(Home, "bin", "kc.sh"), arguments, ServerEnvironment(), Home, LogFile);
        await File.WriteAllTextAsync(Path.Combine(Home, "server.pid"), group.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        try
        {
            await WaitUntilReadyAsync(group, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await group.KillAsync().ConfigureAwait(false);
            throw;
        }

        StartupTime = stopwatch.Elapsed;
        if (!BuildReused)
        {
            SaveBuild();
        }

        options.Log?.Invoke(
            $"Keycloak {Version} ready at {BaseUrl} in {StartupTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s " +
            $"({(BuildReused ? "saved build reused" : "built")}; home {Home}).");
    }

    /// <summary>Keycloak's own summary of why it did not start (its <c>ERROR:</c> lines), else the end of its log.</summary>
    private string StartupErrors()
    {
        const string marker = "ERROR: ";
        var errors = LogTail(200).Split('\n')
            .Select(line => line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? line[(at + marker.Length)..].Trim() : null)
            .OfType<string>()
            .Where(line => !line.StartsWith("For more details", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return errors.Count > 0 ? string.Join("; ", errors) : $"the end of its log:\n{LogTail()}";
    }

    private void ChoosePorts()
    {
        BaseUrl = new Uri($"http://127.0.0.1:{(options.HttpPort == 0 ? FreePort() : options.HttpPort).ToString(CultureInfo.InvariantCulture)}");
        ManagementUrl = new Uri($"http://127.0.0.1:{(options.ManagementPort == 0 ? FreePort() : options.ManagementPort).ToString(CultureInfo.InvariantCulture)}");
    }

    private Dictionary<string, string?> ServerEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        // Settings of the caller's environment must not leak into a test server: only what the options say.
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(name => name.StartsWith("KC_", StringComparison.Ordinal) || name.StartsWith("KEYCLOAK_", StringComparison.Ordinal)
                                    || name.StartsWith("JAVA_OPTS", StringComparison.Ordinal)))
        {
            environment[name] = null;
        }

        environment["KC_BOOTSTRAP_ADMIN_USERNAME"] = AdminUsername;
        environment["KC_BOOTSTRAP_ADMIN_PASSWORD"] = AdminPassword;
        environment["KC_BOOTSTRAP_ADMIN_CLIENT_ID"] = AdminClientId;
        environment["KC_BOOTSTRAP_ADMIN_CLIENT_SECRET"] = AdminClientSecret;
        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private async Task WaitUntilReadyAsync(ProcessGroup running, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = new Uri(ManagementUrl, "/health/ready");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (running.HasExited)
            {
                throw new KeycloakLaunchException($"Keycloak exited during start-up: {StartupErrors()}");
            }

            try
            {
                using var response = await http.GetAsync(ready, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer while it starts.
            }

            if (deadline.Elapsed > options.ReadyTimeout)
            {
                throw new KeycloakLaunchException(
                    $"Keycloak was not ready at {ready} within {options.ReadyTimeout}. The end of its log:\n{LogTail()}");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lays the home out from the cached distribution: scripts and configuration copied (kc.sh finds its home from its
    /// own real path), the jars linked, the build output from the saved build when there is one, themes and providers
    /// copied fresh. Data is kept. Returns whether a saved build was used.
    /// </summary>
    private bool LayOutHome()
    {
        var source = distribution.Root;
        var bin = Path.Combine(Home, "bin");
        Directory.CreateDirectory(bin);
        foreach (var script in Directory.EnumerateFiles(Path.Combine(source, "bin"), "*.sh"))
        {
            File.Copy(script, Path.Combine(bin, Path.GetFileName(script)), overwrite: true);
        }

        Link(Path.Combine(bin, "client"), Path.Combine(source, "bin", "client"));
        CopyFolder(Path.Combine(source, "conf"), Path.Combine(Home, "conf"), replace: false);
        var lib = Path.Combine(Home, "lib");
        Directory.CreateDirectory(lib);
        Link(Path.Combine(lib, "lib"), Path.Combine(source, "lib", "lib"));
        CopyFolder(Path.Combine(source, "lib", "app"), Path.Combine(lib, "app"), replace: true);
        File.Copy(Path.Combine(source, "lib", "quarkus-run.jar"), Path.Combine(lib, "quarkus-run.jar"), overwrite: true);

        var saved = SavedBuildFolder();
        var reused = Directory.Exists(saved);
        var quarkus = Path.Combine(lib, "quarkus");
        if (!Directory.Exists(quarkus) || reused)
        {
            CopyFolder(reused ? saved : Path.Combine(source, "lib", "quarkus"), quarkus, replace: true);
        }

        var themes = Path.Combine(Home, "themes");
        var providers = Path.Combine(Home, "providers");
        TryDelete(themes);
        TryDelete(providers);
        CopyFolder(Path.Combine(source, "themes"), themes, replace: true);
        foreach (var theme in options.Themes)
        {
            CopyFolder(theme, Path.Combine(themes, Path.GetFileName(Path.TrimEndingDirectorySeparator(theme))), replace: true);
        }

        CopyFolder(Path.Combine(source, "providers"), providers, replace: true);
        foreach (var jar in options.Providers)
        {
            File.Copy(jar, Path.Combine(providers, Path.GetFileName(jar)), overwrite: true);
        }

        return reused;
    }

    private string SavedBuildFolder() => Path.Combine(distribution.CacheFolder, "builds", buildKey);

    /// <summary>Keeps this server's build output for later servers with the same providers and options.</summary>
    private void SaveBuild()
    {
        var saved = SavedBuildFolder();
        if (Directory.Exists(saved))
        {
            return;
        }

        var staging = $"{saved}.saving-{Guid.NewGuid():N}";
        try
        {
            CopyFolder(Path.Combine(Home, "lib", "quarkus"), staging, replace: true);
            Directory.Move(staging, saved);
        }
        catch (IOException)
        {
            // Another server saved the same build first.
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private static string BuildKey(KeycloakDistribution distribution, KeycloakServerOptions options)
    {
        var key = new StringBuilder(distribution.Sha256).Append('\n');
        foreach (var jar in options.Providers.OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(jar);
            key.Append(Path.GetFileName(jar)).Append('=').Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }

        // Build options (features, database, SPI choices) change the build: every argument is part of the key.
        foreach (var argument in options.Arguments)
        {
            key.Append(argument).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
    }

    /// <summary>Stops and deletes homes whose starting process died before it could (a crash, a hang killed by CI).</summary>
    private static void RemoveAbandonedHomes(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, HomePrefix + "*"))
        {
            try
            {
                var owner = ReadPid(Path.Combine(folder, "owner.pid"));
                if (owner is null || ProcessGroup.IsAlive(owner.Value))
                {
                    continue;
                }

                if (ReadPid(Path.Combine(folder, "server.pid")) is { } server)
                {
                    ProcessGroup.KillAbandoned(server);
                }

                TryDelete(folder);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's folder, or one being removed right now: leave it.
            }
        }
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static void Link(string link, string target)
    {
        if (!Directory.Exists(link))
        {
            Directory.CreateSymbolicLink(link, target);
        }
    }

    private static void CopyFolder(string source, string target, bool replace)
    {
        if (!replace && Directory.Exists(target))
        {
            return;
        }

        if (replace)
        {
            TryDelete(target);
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RandomSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file still held open: the operating system's temporary-file cleaning takes it later.
        }
    }
}
