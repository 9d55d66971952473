using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IdpBridge.Cli.Tests.Realms;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests;

/// <summary>
/// A Keycloak that cannot be reached is one error line naming the address, the cause and what to check, at once
/// (not after 12 to 19 s of retries, with the default retry settings); a Keycloak that does not answer is announced.
/// </summary>
public sealed class KeycloakUnreachableTests
{
    [Test]
    public async Task ClosedPort_FailsFastWithTheAddressTheCauseAndAHint()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";
        // Once unmeasured, so the time below is the command's and not the first run's compilation.
        await RunTimedAsync(url, "realm", "export", "externos");

        var (run, elapsed) = await RunTimedAsync(url, "realm", "export", "externos");
        var (verbose, _) = await RunTimedAsync(url, "realm", "export", "externos", "--verbose");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(verbose.Error.Split('\n').Count(line => line.StartsWith("http: POST", StringComparison.Ordinal)), Is.EqualTo(1), "one attempt, no retry: " + verbose);
            Assert.That(run.Error, Is.EqualTo(
                $"error: cannot reach Keycloak at {url} (POST /realms/master/protocol/openid-connect/token): Connection refused ({url[7..]}). " +
                "Check that Keycloak runs there and the URL (--keycloak-url or IdpBridge__Keycloak__Url)." + Environment.NewLine));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task UnknownHost_FailsFastNamingTheHost()
    {
        var secrets = new Dictionary<string, string?>
        {
            ["GOOGLE_CLIENT_SECRET"] = "g", ["GITLAB_CLIENT_SECRET"] = "gl", ["IDPBRIDGE_CLIENT_SECRET"] = "i",
            ["GOOGLE_CLIENT_ID"] = "g", ["GITLAB_CLIENT_ID"] = "gl",
        };
        await RunTimedAsync("https://no-such-host.invalid", new Dictionary<string, string?>(secrets), "realm", "plan", CliHarness.DemoRealm);

        var (run, elapsed) = await RunTimedAsync("https://no-such-host.invalid", secrets, "realm", "plan", CliHarness.DemoRealm, "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("error: cannot reach Keycloak at https://no-such-host.invalid (POST /realms/master/protocol/openid-connect/token): ")
                .And.Contain("no-such-host.invalid:443").And.Contain("--keycloak-url"));
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(run.Output, Does.Contain("\"error\":\"cannot reach Keycloak at https://no-such-host.invalid"));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task SilentHost_SaysWhatIsTriedWhileWaiting()
    {
        // Accepts connections and never answers, like a host behind a firewall that drops the request.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        var (run, elapsed) = await RunTimedAsync(url, new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:AttemptTimeout"] = "00:00:02",
            ["IdpBridge:Keycloak:CircuitBreakerSamplingDuration"] = "00:00:04",
            ["IdpBridge:Keycloak:MaxRetries"] = "0",
            ["IdpBridge:Keycloak:Realm"] = "admins",
        }, "realm", "export", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith(
                $"Connecting to {url} (realm admins) ...{Environment.NewLine}" +
                "error: Keycloak did not answer GET /admin/realms/externos: no answer in time"));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<(CliRun Run, TimeSpan Elapsed)> RunTimedAsync(string url, params string[] args) =>
        RunTimedAsync(url, new Dictionary<string, string?>(), args);

    /// <summary>Runs with the default retry settings (1 s base delay, 5 retries): what a person gets.</summary>
    private static async Task<(CliRun Run, TimeSpan Elapsed)> RunTimedAsync(string url, Dictionary<string, string?> settings, params string[] args)
    {
        settings["IdpBridge:Keycloak:Url"] = url;
        settings["IdpBridge:Keycloak:ClientId"] = "idpbridge";
        settings["IdpBridge:Keycloak:ClientSecret"] = "s3cret-never-printed";
        using var output = new StringWriter();
        using var error = new StringWriter();
        // The notice only where it is the subject: elsewhere a loaded machine could make the first refusal slower than its delay.
        var context = new CliContext(output, error, new StringReader(""), false, new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        {
            ConnectingNoticeAfter = settings.ContainsKey("IdpBridge:Keycloak:AttemptTimeout") ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan,
        };
        var clock = Stopwatch.StartNew();
        var code = await IdpBridgeCommand.RunAsync(args, context);
        return (new CliRun(code, output.ToString(), error.ToString()), clock.Elapsed);
    }
}
