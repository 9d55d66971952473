using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The real service process (<c>dotnet IdpBridge.Service.dll</c>, from this test's output) started with one wrong
/// setting: it exits at once with EX_CONFIG (78) and one <c>error:</c> line naming the setting, no stack trace, and
/// never reaches Keycloak (whose URL here refuses connections).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class StartupFailureTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(20);

    [TestCase("ASPNETCORE_URLS", "notaurl", "ASPNETCORE_URLS (or --urls) must list URLs such as http://0.0.0.0:8081 separated by ';', not 'notaurl'.")]
    [TestCase("ASPNETCORE_URLS", "http://127.0.0.1:99999", "ASPNETCORE_URLS (or --urls): 'http://127.0.0.1:99999' must be http or https with a port from 0 to 65535.")]
    [TestCase("IdpBridge__Storage__Provider", "mongodb",
        "Failed to convert configuration value 'mongodb' at 'IdpBridge:Storage:Provider' to type 'IdpBridge.Core.Storage.StorageProvider'. " +
        "It must be one of: sqlite, postgresql.")]
    [TestCase("IdpBridge__Policies__TimeZone", "Mars/Olympus_Mons", "IdpBridge:Policies:TimeZone must be an IANA time zone such as America/Argentina/Buenos_Aires.")]
    [TestCase("IdpBridge__Ledger__RetentionDays", "-30", "IdpBridge:Ledger:RetentionDays must be 0 (keep forever) or a number of days.")]
    [TestCase("IdpBridge__Provisioning__SecretHashKey", "short-key-1", "IdpBridge:Provisioning:SecretHashKey must be at least 32 characters")]
    [TestCase("IdpBridge__Proof__SigningKeyPath", "/nonexistent/proof-key.pem", "IdpBridge:Proof:SigningKeyPath: no file at '/nonexistent/proof-key.pem'.")]
    [TestCase("IdpBridge__AdminApi__ClockSkew", "-00:00:05", "IdpBridge:AdminApi:ClockSkew must be between 0 and 1 hour.")]
    [TestCase("IdpBridge__AdminApi__RequireHttpsMetadata", null,
        "IdpBridge:Keycloak:Url is plain http (http://127.0.0.1:9/) but IdpBridge:AdminApi:RequireHttpsMetadata is true (the default)")]
    public async Task Start_OneWrongSetting_ExitsAtOnceWithOneMessageNamingIt(string setting, string? value, string message)
    {
        var run = await RunServiceAsync(new Dictionary<string, string?> { [setting] = value });

        AssertRefused(run, message);
    }

    [Test]
    public async Task Start_PortInUse_ExitsAtOnceSayingSo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await RunServiceAsync(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        AssertRefused(run, $"ASPNETCORE_URLS (or --urls): http://127.0.0.1:{port} is already in use by another process; choose another port.");
    }

    private static void AssertRefused(ServiceRun run, string message)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(78), run.ToString());
            Assert.That(run.Elapsed, Is.LessThan(Quick), "no wait for workers that should never have started");
            Assert.That(run.Error, Does.StartWith("error: ").And.Contain(message), run.ToString());
            Assert.That(run.Error.Split('\n').Count(line => line.StartsWith("error: ", StringComparison.Ordinal)), Is.EqualTo(1), run.ToString());
            Assert.That(run.Error + run.Output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
            Assert.That(run.Output, Does.Not.Contain("127.0.0.1:9"), "Keycloak is never called");
        });
    }

    /// <summary>Runs the service with a valid configuration changed by <paramref name="changes"/> (null removes a setting).</summary>
    private static async Task<ServiceRun> RunServiceAsync(IReadOnlyDictionary<string, string?> changes)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"idpbridge-startup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var info = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IdpBridge.Service.dll"));
            foreach (var name in info.Environment.Keys
                .Where(key => key.StartsWith("IdpBridge__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
                .ToList())
            {
                info.Environment.Remove(name);
            }

            var settings = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                // Port 9 (discard) on loopback: nothing listens, so any call to Keycloak would fail and show in the log.
                ["IdpBridge__Keycloak__Url"] = "http://127.0.0.1:9",
                ["IdpBridge__Keycloak__ClientId"] = "idpbridge",
                ["IdpBridge__Keycloak__ClientSecret"] = "not-a-real-secret",
                ["IdpBridge__AdminApi__Realm"] = "externos",
                ["IdpBridge__AdminApi__RequireHttpsMetadata"] = "false",
                ["IdpBridge__Policies__PublicBaseUrl"] = "https://idp.example.org",
                ["IdpBridge__Storage__SqlitePath"] = Path.Combine(folder, "idpbridge.db"),
            };
            foreach (var (name, value) in changes)
            {
                settings[name] = value;
            }

            foreach (var (name, value) in settings.Where(setting => setting.Value is not null))
            {
                info.Environment[name] = value;
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            return new ServiceRun(process.ExitCode, await output, await error, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private sealed record ServiceRun(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}
