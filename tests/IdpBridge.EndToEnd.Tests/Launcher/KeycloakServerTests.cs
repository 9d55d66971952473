using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IdpBridge.KeycloakLauncher;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Launcher;

/// <summary>The one Keycloak launcher that tests, the try-it path and benchmarks share.</summary>
public sealed class KeycloakServerTests
{
    [Test]
    public async Task SharedServer_Started_HasAHomeOfItsOwnAndLeavesTheCachedDistributionUntouched()
    {
        using var real = await RealServer.SharedAsync();
        var server = real.Server;
        var distribution = server.Distribution;

        var realms = (await real.Admin.GetAsync("realms"))!.AsArray().Select(realm => realm!["realm"]!.GetValue<string>());

        Assert.Multiple(() =>
        {
            Assert.That(server.Version, Is.EqualTo("26.7.3"));
            Assert.That(realms, Does.Contain("master"));
            Assert.That(Directory.Exists(Path.Combine(server.Home, "data")), Is.True, "the server's own data folder");
            Assert.That(File.Exists(Path.Combine(server.Home, "themes", "idpbridge", "login", "terms.ftl")), Is.True, "the theme, copied in");
            Assert.That(new DirectoryInfo(Path.Combine(server.Home, "lib", "lib")).LinkTarget, Is.EqualTo(Path.Combine(distribution.Root, "lib", "lib")));
            Assert.That(Directory.Exists(Path.Combine(distribution.Root, "data")), Is.False, "nothing runs in the cache");
            Assert.That(Directory.Exists(Path.Combine(distribution.Root, "themes", "idpbridge")), Is.False, "themes go to the server's home");
            Assert.That(server.Home, Does.Not.StartWith(Testing.SharedData.RepositoryRoot), "homes live outside the checkout");
            Assert.That(distribution.CacheFolder, Does.Not.StartWith(Testing.SharedData.RepositoryRoot), "the cache lives outside the checkout");
        });
    }

    [Test]
    public async Task OwnServer_KilledAndStartedAgain_KeepsItsDataAndUrl_AndDisposeRemovesEverything()
    {
        var real = await RealServer.OwnAsync();
        var server = real.Server;
        var shared = await RealServer.SharedAsync();
        var home = server.Home;
        var url = server.BaseUrl;
        var realm = $"kill-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            await real.Admin.CreateRealmAsync(new JsonObject { ["realm"] = realm, ["enabled"] = true });
            // H2 in start-dev may lose its last second of acknowledged writes to a kill -9: let it write the realm out.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var pid = server.ProcessId!.Value;

            await server.KillAsync();
            var deadAfterKill = !IsRunning(pid);
            await server.StartAgainAsync();
            var realmAfterRestart = await real.Admin.SendAsync(HttpMethod.Get, $"realms/{realm}", ensureSuccess: false);
            var sharedHasIt = await shared.Admin.SendAsync(HttpMethod.Get, $"realms/{realm}", ensureSuccess: false);
            var restartedPid = server.ProcessId!.Value;

            await real.DisposeOwnAsync();

            Assert.Multiple(() =>
            {
                Assert.That(deadAfterKill, Is.True, "kill -9 ends the server's process group");
                Assert.That(server.BaseUrl, Is.EqualTo(url));
                Assert.That(realmAfterRestart.Status, Is.EqualTo(HttpStatusCode.OK), "the realm survived the kill");
                Assert.That(sharedHasIt.Status, Is.EqualTo(HttpStatusCode.NotFound), "servers never share data");
                Assert.That(IsRunning(restartedPid), Is.False, "dispose stops the server");
                Assert.That(Directory.Exists(home), Is.False, "dispose deletes the home");
            });
        }
        finally
        {
            await real.DisposeOwnAsync();
            shared.Dispose();
        }
    }

    [Test]
    public async Task LauncherCommand_KilledWithMinus9_ItsWatchdogStopsKeycloakAndDeletesTheHome()
    {
        var envFile = Path.Combine(Path.GetTempPath(), $"idpbridge-kc-{Guid.NewGuid():N}.env");
        var info = new ProcessStartInfo(IdpBridge.ProgramStart.IdpBridgeProgram.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "idpbridge-keycloak.dll"), "run", "--zip", RealKeycloak.ZipPath(), "--env-file", envFile })
        {
            info.ArgumentList.Add(argument);
        }

        using var launcher = Process.Start(info)!;
        try
        {
            string? line;
            var output = new List<string>();
            while ((line = await launcher.StandardOutput.ReadLineAsync()) is not null && !line.Contains("Ctrl+C", StringComparison.Ordinal))
            {
                output.Add(line);
            }

            if (line is null)
            {
                Assert.Fail($"The launcher ended before Keycloak was ready:\n{string.Join('\n', output)}\n{await launcher.StandardError.ReadToEndAsync()}");
            }

            var settings = File.ReadAllLines(envFile).Select(entry => entry.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
            var pid = int.Parse(settings["KEYCLOAK_PID"], System.Globalization.CultureInfo.InvariantCulture);
            var home = output.Select(entry => System.Text.RegularExpressions.Regex.Match(entry, @"home (\S+)\)")).First(match => match.Success).Groups[1].Value;
            var mode = File.GetUnixFileMode(envFile);

            launcher.Kill();
            await launcher.WaitForExitAsync();
            var stopped = await WaitAsync(() => !IsRunning(pid) && !Directory.Exists(home), TimeSpan.FromSeconds(15));

            Assert.Multiple(() =>
            {
                Assert.That(stopped, Is.True, $"Keycloak (pid {pid}) and its home {home} outlived the launcher");
                Assert.That(mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the settings file holds secrets");
                Assert.That(settings["KEYCLOAK_URL"], Does.StartWith("http://127.0.0.1:"));
                Assert.That(string.Join('\n', output), Does.Not.Contain(settings["KEYCLOAK_ADMIN_CLIENT_SECRET"]), "secrets go to the file only");
            });
        }
        finally
        {
            if (!launcher.HasExited)
            {
                launcher.Kill(entireProcessTree: true);
            }

            File.Delete(envFile);
        }
    }

    [Test]
    public void OpenAsync_ZipMissing_SaysWhereToGetIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-keycloak.zip");

        var failure = Assert.ThrowsAsync<KeycloakLaunchException>(() => KeycloakDistribution.OpenAsync(missing));

        Assert.That(failure!.Message, Does.Contain(missing).And.Contain("download keycloak-26.7.3.zip"));
    }

    [Test]
    public async Task StartAsync_JavaHomeWithoutJava_SaysWhatToInstallAndStartsNothing()
    {
        var distribution = await KeycloakDistribution.OpenAsync(RealKeycloak.ZipPath());
        var before = Environment.GetEnvironmentVariable("JAVA_HOME");
        var parent = Directory.CreateTempSubdirectory("idpbridge-nojava-").FullName;
        Environment.SetEnvironmentVariable("JAVA_HOME", "/nonexistent-java");
        try
        {
            var failure = Assert.ThrowsAsync<KeycloakLaunchException>(() => KeycloakServer.StartAsync(distribution, new KeycloakServerOptions { HomeParent = parent }));

            Assert.Multiple(() =>
            {
                Assert.That(failure!.Message, Does.Contain("/nonexistent-java/bin/java is missing").And.Contain("openjdk-17-jre-headless"));
                Assert.That(Directory.GetFileSystemEntries(parent), Is.Empty, "no home is laid out");
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("JAVA_HOME", before);
            Directory.Delete(parent, recursive: true);
        }
    }

    [Test]
    public async Task StartAsync_PortTaken_SaysSoInKeycloaksWordsAndLeavesNothingRunning()
    {
        var distribution = await KeycloakDistribution.OpenAsync(RealKeycloak.ZipPath());
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var parent = Directory.CreateTempSubdirectory("idpbridge-porttaken-").FullName;
        try
        {
            var failure = Assert.ThrowsAsync<KeycloakLaunchException>(() =>
                KeycloakServer.StartAsync(distribution, new KeycloakServerOptions { HttpPort = port, HomeParent = parent }));

            Assert.Multiple(() =>
            {
                Assert.That(failure!.Message, Does.StartWith("Keycloak exited during start-up: ").And.Contain($"Port already bound: {port}"));
                Assert.That(Directory.GetFileSystemEntries(parent), Is.Empty, "the failed server's home is deleted");
            });
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [TestCase("openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment", 17)]
    [TestCase("openjdk version \"21\" 2023-09-19", 21)]
    [TestCase("java version \"1.8.0_402\"", 8)]
    public void ParseMajorVersion_JavaVersionOutput_GivesTheMajorVersion(string output, int expected) =>
        Assert.That(JavaRuntime.ParseMajorVersion(output), Is.EqualTo(expected));

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }
}
