using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests.TryIt;

/// <summary>
/// <c>scripts/try-it.sh</c> run as a person runs it (bash, from the repository), on free ports and a state folder of
/// the test's own, against the real distribution the tests use. <c>--no-build</c>: the solution is built already, and
/// a build now would rewrite programs other test processes run.
/// </summary>
internal sealed partial class TryItRun : IAsyncDisposable
{
    /// <summary>The banner's last line: everything is up.</summary>
    public const string ReadyLine = "Ctrl+C (or scripts/try-it.sh stop) stops everything.";

    private RunningCli? running;

    private TryItRun()
    {
        StateFolder = Directory.CreateTempSubdirectory("idpbridge-try-it-e2e-").FullName;
        KeycloakPort = FreePort();
        ServicePort = FreePort();
        MailPort = FreePort();
        SmtpPort = FreePort();
    }

    public string StateFolder { get; }

    public int KeycloakPort { get; }

    public int ServicePort { get; }

    public int MailPort { get; }

    public int SmtpPort { get; }

    public Uri Keycloak => new($"http://localhost:{KeycloakPort}/");

    public Uri Service => new($"http://localhost:{ServicePort}/");

    public Uri Mail => new($"http://localhost:{MailPort}/");

    /// <summary>What the run printed so far.</summary>
    public string Output => running?.Output ?? "";

    /// <summary>The run's process (bash exec's the tool, so this is the tool).</summary>
    public RunningCli Process => running ?? throw new InvalidOperationException("Not started.");

    /// <summary>A run of this test's own, not started.</summary>
    public static TryItRun Create() => new();

    /// <summary>The arguments that point a run at this test's ports, state folder and the tests' Keycloak zip.</summary>
    public string[] StartArguments() =>
    [
        "start", "--no-build", "--zip", RealKeycloak.ZipPath(), "--state-dir", StateFolder,
        "--keycloak-port", $"{KeycloakPort}", "--service-port", $"{ServicePort}", "--mail-port", $"{MailPort}", "--smtp-port", $"{SmtpPort}",
    ];

    /// <summary>Starts <c>scripts/try-it.sh start ...</c> and waits until it says it is ready (or fails, with what it printed).</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        running = Script(StartArguments()).Start();
        var clock = Stopwatch.StartNew();
        while (!running.Output.Contains(ReadyLine, StringComparison.Ordinal))
        {
            if (running.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException(
                    $"try-it did not get ready ({(running.HasExited ? "it exited" : $"within {timeout}")}).\n--- stdout\n{running.Output}\n--- stderr\n{running.Error}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A credential line of the banner: <c>Demo user  name  password secret</c>.</summary>
    public (string Username, string Password) Credentials(string label)
    {
        var match = new Regex($@"^  {Regex.Escape(label)} +(\S+)  password (\S+)", RegexOptions.Multiline).Match(Output);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : throw new InvalidOperationException($"No '{label}' line in:\n{Output}");
    }

    /// <summary><c>scripts/try-it.sh idpbridge ...</c> against this run.</summary>
    public Task<CliRun> IdpBridgeAsync(params string[] arguments) => Script(["idpbridge", .. arguments]).RunAsync();

    /// <summary><c>scripts/try-it.sh stop</c> for this run's state folder.</summary>
    public Task<CliRun> StopAsync() => Script(["stop", "--state-dir", StateFolder]).RunAsync();

    /// <summary>The run's <c>try-it.json</c>.</summary>
    public JsonObject State() => JsonNode.Parse(File.ReadAllText(Path.Combine(StateFolder, "try-it.json")))!.AsObject();

    /// <summary>The script with <paramref name="arguments"/>, from the repository root, with this run's state folder.</summary>
    public TryItScript Script(string[] arguments)
    {
        var script = IdpBridgeProcess.Script("scripts/try-it.sh");
        script.Environment["IDPBRIDGE_TRY_IT_HOME"] = StateFolder;
        return new TryItScript(script, arguments);
    }

    /// <summary>True while something listens on <paramref name="port"/> of 127.0.0.1.</summary>
    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (running is { HasExited: false })
        {
            await StopAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(90));
        }

        running?.Dispose();
        Directory.Delete(StateFolder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary><c>bash scripts/try-it.sh</c> with its arguments, its environment still to change.</summary>
internal sealed record TryItScript(IdpBridgeProcess Process, string[] Arguments)
{
    public Dictionary<string, string?> Environment => Process.Environment;

    public RunningCli Start() => Process.Start(Arguments);

    public Task<CliRun> RunAsync() => Process.RunAsync(Arguments);
}
