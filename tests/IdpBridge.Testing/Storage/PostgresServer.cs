using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace IdpBridge.Testing.Storage;

/// <summary>
/// A real PostgreSQL server for tests: Debian's binaries, a cluster made by <c>initdb</c> in a fresh temporary folder,
/// listening on a free loopback port (socket in that folder), password authentication over TCP. One server per test
/// process (<see cref="GetAsync"/>), started on first use and stopped, with its folder deleted, when the process exits;
/// tests take a database each from <see cref="CreateDatabaseAsync"/>.
/// When the process runs as root, every server command runs as the <c>postgres</c> system user (initdb and postgres
/// refuse root) through <c>runuser</c>, and that user owns the folder. Missing binaries fail the test with what to
/// install; nothing is skipped.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable that names a folder holding initdb, pg_ctl and postgres, overriding the search.</summary>
    public const string BinariesVariable = "IDPBRIDGE_POSTGRES_BIN";

    private const string FolderPrefix = "idpbridge-pg-";
    private const string SuperUser = "idpbridge";
    private const string RunAsUser = "postgres";

    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static PostgresServer? shared;

    private readonly string binaries;
    private readonly string root;
    private readonly bool asPostgresUser;
    private int stopped;

    private PostgresServer(string binaries, string root, bool asPostgresUser, int port, string password)
    {
        this.binaries = binaries;
        this.root = root;
        this.asPostgresUser = asPostgresUser;
        Port = port;
        Password = password;
    }

    /// <summary>The loopback TCP port.</summary>
    public int Port { get; }

    /// <summary>The superuser's random password.</summary>
    public string Password { get; }

    /// <summary>How long initdb and the start took.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The server's major version (e.g. 15), from the binaries' folder or <c>postgres --version</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The temporary folder holding the cluster (<c>data/</c>), the socket and <c>server.log</c>.</summary>
    public string Folder => root;

    /// <summary>A superuser connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>The server shared by every test of this process, started on first call.</summary>
    public static async Task<PostgresServer> GetAsync()
    {
        await SharedLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (shared is null)
            {
                shared = await StartAsync().ConfigureAwait(false);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => shared?.Stop();
            }

            return shared;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>A new, empty database on the shared server, dropped when the handle is disposed.</summary>
    public static async Task<PostgresTestDatabase> CreateSharedDatabaseAsync(string prefix = "test")
    {
        var server = await GetAsync().ConfigureAwait(false);
        return await server.CreateDatabaseAsync(prefix).ConfigureAwait(false);
    }

    /// <summary>A new, empty database, dropped when the handle is disposed.</summary>
    public async Task<PostgresTestDatabase> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new PostgresTestDatabase(this, name, ConnectionString(name));
    }

    internal async Task DropDatabaseAsync(string name)
    {
        if (Volatile.Read(ref stopped) != 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a server of its own (most tests want <see cref="GetAsync"/> instead).</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var binaries = FindBinaries();
        var asPostgresUser = IsRoot();
        RemoveAbandonedServers(binaries, asPostgresUser);

        var root = CreateFolder(asPostgresUser);
        try
        {
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var passwordFile = Path.Combine(root, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password + "\n").ConfigureAwait(false);
            // Written by root when root: the postgres user must still read it (the folder itself is 0700).
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            await File.WriteAllTextAsync(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);

            var data = Path.Combine(root, "data");
            await RunAsync(binaries, asPostgresUser, root, "initdb",
                "-D", data, "-U", SuperUser, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
                "--no-locale", "--encoding=UTF8", "--no-sync", "--no-instructions").ConfigureAwait(false);
            File.Delete(passwordFile);

            // A free port can be taken between the probe and the bind: try a few.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var options = string.Join(' ',
                    "-p", port.ToString(CultureInfo.InvariantCulture),
                    "-k", root,
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=200",
                    "-c", "shared_buffers=32MB");
                try
                {
                    await RunAsync(binaries, asPostgresUser, root, "pg_ctl",
                        "-D", data, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start").ConfigureAwait(false);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    continue;
                }

                var server = new PostgresServer(binaries, root, asPostgresUser, port, password)
                {
                    Version = Path.GetFileName(Path.GetDirectoryName(binaries)) ?? "",
                };
                StartWatchdog(binaries, asPostgresUser, root);
                await server.WaitUntilAcceptingAsync().ConfigureAwait(false);
                server.StartupTime = stopwatch.Elapsed;
                return server;
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>Stops the server at once and deletes its folder.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        if (ReferenceEquals(shared, this))
        {
            shared = null;
        }

        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(binaries, asPostgresUser, root, "pg_ctl", "-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to stop.
        }

        TryDelete(root);
    }

    /// <summary>Stops the server shared by this process, if it was started (a later <see cref="GetAsync"/> starts a new one).</summary>
    public static async Task StopSharedAsync()
    {
        await SharedLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (shared is { } server)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>
    /// A detached shell that stops the server and deletes its folder once this process is gone, however it ended:
    /// a test host killed by a hang timeout runs no exit handler.
    /// </summary>
    private static void StartWatchdog(string binaries, bool asPostgresUser, string root)
    {
        const string script =
            "exec >/dev/null 2>&1 </dev/null\n" +
            "while kill -0 \"$1\"; do sleep 1; done\n" +
            "if [ -f \"$2/data/postmaster.pid\" ]; then\n" +
            "  if [ \"$4\" = 1 ]; then runuser -u postgres -- \"$3\" -D \"$2/data\" -m immediate -w stop;\n" +
            "  else \"$3\" -D \"$2/data\" -m immediate -w stop; fi\n" +
            "fi\n" +
            "rm -rf \"$2\"\n";
        var info = new ProcessStartInfo { FileName = "setsid", UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in new[]
        {
            "sh", "-c", script, "idpbridge-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            root, Path.Combine(binaries, "pg_ctl"), asPostgresUser ? "1" : "0",
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(info);
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            // Newest major version first: /usr/lib/postgresql/17/bin before 15/bin.
            candidates.AddRange(Directory.GetDirectories(debian)
                .Select(folder => (folder, version: int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var v) ? v : 0))
                .OrderByDescending(entry => entry.version)
                .Select(entry => Path.Combine(entry.folder, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        foreach (var folder in candidates)
        {
            if (new[] { "initdb", "pg_ctl", "postgres" }.All(name => File.Exists(Path.Combine(folder, name))))
            {
                return folder;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found in /usr/lib/postgresql/<version>/bin, " +
            $"on PATH or in ${BinariesVariable}. The storage tests need a real PostgreSQL server: install it with " +
            "'apt-get install postgresql' (or run 'bash scripts/setup.sh').");
    }

    private static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static string CreateFolder(bool asPostgresUser)
    {
        if (!asPostgresUser)
        {
            return Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        }

        // Made by the postgres user itself, so it owns the folder (0700) without a chown.
        var template = Path.Combine(Path.GetTempPath(), FolderPrefix + "XXXXXXXX");
        return Run("/usr/bin", true, "/", "mktemp", "-d", template).Trim();
    }

    /// <summary>Stops and deletes servers whose test process died before it could (a crash, a hang killed by CI).</summary>
    private static void RemoveAbandonedServers(string binaries, bool asPostgresUser)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(folder, "owner.pid");
                if (!File.Exists(ownerFile)
                    || !int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out var owner)
                    || IsAlive(owner))
                {
                    continue;
                }

                if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                {
                    Run(binaries, asPostgresUser, folder, "pg_ctl", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop");
                }

                TryDelete(folder);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Another user's folder, or one being removed right now: leave it.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A file still held open: the operating system's temp cleaning takes it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Task RunAsync(string binaries, bool asPostgresUser, string workingDirectory, string tool, params string[] arguments) =>
        Task.Run(() => Run(binaries, asPostgresUser, workingDirectory, tool, arguments));

    /// <summary>Runs one of the server's tools, as the postgres user when we are root; throws with its output when it fails.</summary>
    private static string Run(string binaries, bool asPostgresUser, string workingDirectory, string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        var executable = Path.Combine(binaries, tool);
        if (asPostgresUser)
        {
            info.FileName = "runuser";
            foreach (var argument in new[] { "-u", RunAsUser, "--", executable })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = executable;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The server's messages in English whatever the machine's locale, and no inherited PG* settings.
        info.Environment["LC_ALL"] = "C";
        foreach (var name in info.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                asPostgresUser
                    ? $"Could not run '{tool}' as the '{RunAsUser}' user through runuser: {exception.Message}. As root the tests need " +
                      "runuser (util-linux) and the postgres user that 'apt-get install postgresql' creates."
                    : $"Could not run '{executable}': {exception.Message}",
                exception);
        }

        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{tool} {string.Join(' ', arguments)}'{(asPostgresUser ? $" (as {RunAsUser})" : "")} failed with exit code " +
                $"{process.ExitCode}:\n{output}{error.GetAwaiter().GetResult()}");
        }

        return output;
    }
}
