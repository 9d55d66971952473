using IdpBridge.KeycloakLauncher;
using NUnit.Framework;

namespace IdpBridge.Testing.RealKeycloak;

/// <summary>
/// The real Keycloak server for tests: the distribution in <c>../shared/keycloak-dist/</c> (or <c>$IDPBRIDGE_KEYCLOAK_ZIP</c>)
/// started by <see cref="KeycloakServer"/> with the repository's login theme (and, for the shared server, its Keycloak
/// extension). One server per test process
/// (<see cref="SharedAsync"/>), stopped when the process exits; a test that kills Keycloak starts one of its own
/// (<see cref="StartOwnAsync"/>). Without the zip or Java the test fails saying what is missing; nothing is skipped.
/// </summary>
public static class RealKeycloak
{
    /// <summary>The environment variable the login theme reads IdpBridge's public address from (<c>theme.properties</c>).</summary>
    public const string PublicUrlVariable = "IDPBRIDGE_PUBLIC_URL";

    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static KeycloakServer? shared;
    private static RecordingProxy? publicPages;
    private static Exception? sharedFailure;

    /// <summary>
    /// Where the shared server's login theme links the full policy (<see cref="PublicUrlVariable"/>): a proxy of this
    /// process, bound before the server starts, since the theme reads the address once, at the server's start. A test
    /// that runs the IdpBridge service points its <see cref="RecordingProxy.Target"/> at it (and puts it back to null
    /// after); until then it answers 503.
    /// </summary>
    public static RecordingProxy PublicPages =>
        publicPages ?? throw new InvalidOperationException("The shared Keycloak server is not started yet: call SharedAsync first.");

    /// <summary>The login theme folder every test server gets.</summary>
    public static string ThemeFolder => Path.Combine(SharedData.RepositoryRoot, "keycloak-theme", "idpbridge");

    /// <summary>
    /// IdpBridge's Keycloak extension (keycloak-extension/), which the shared server installs: a build output of
    /// <c>scripts/build-extension.sh</c>, not committed.
    /// </summary>
    public static string ExtensionJar => Path.Combine(SharedData.RepositoryRoot, "keycloak-extension", "build", "idpbridge-keycloak-extension.jar");

    /// <summary>The distribution zip: <c>$IDPBRIDGE_KEYCLOAK_ZIP</c>, else the one in <c>../shared/keycloak-dist/</c>.</summary>
    public static string ZipPath()
    {
        if (Environment.GetEnvironmentVariable(KeycloakDistribution.ZipVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var folder = Path.Combine(SharedData.Root, "keycloak-dist");
        var zips = Directory.Exists(folder) ? Directory.GetFiles(folder, "keycloak-quarkus-dist-*.zip") : [];
        return zips.Length switch
        {
            1 => zips[0],
            0 => throw new KeycloakLaunchException(
                $"The real Keycloak server was not found: no keycloak-quarkus-dist-*.zip in {folder}. The tests run against it; " +
                $"put the distribution there or set {KeycloakDistribution.ZipVariable}; {KeycloakDistribution.DownloadHint}."),
            _ => throw new KeycloakLaunchException(
                $"Several Keycloak distributions in {folder} ({string.Join(", ", zips.Select(Path.GetFileName))}): " +
                $"set {KeycloakDistribution.ZipVariable} to the one to test against."),
        };
    }

    /// <summary>The server shared by every test of this process, started on first call (a failed start fails every later call the same way).</summary>
    public static async Task<KeycloakServer> SharedAsync()
    {
        await SharedLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (sharedFailure is not null)
            {
                throw new KeycloakLaunchException($"The shared Keycloak server could not be started: {sharedFailure.Message}", sharedFailure);
            }

            if (shared is null)
            {
                try
                {
                    publicPages ??= await RecordingProxy.StartAsync(null).ConfigureAwait(false);
                    var publicUrl = publicPages.Url.ToString().TrimEnd('/');
                    if (!File.Exists(ExtensionJar))
                    {
                        throw new KeycloakLaunchException(
                            $"IdpBridge's Keycloak extension is not built: {ExtensionJar} is missing. Run scripts/build-extension.sh " +
                            "(scripts/test.sh and scripts/setup.sh run it) before these tests.");
                    }

                    shared = await StartOwnAsync(options =>
                    {
                        options.Environment[PublicUrlVariable] = publicUrl;
                        options.Providers.Add(ExtensionJar);
                    }).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    sharedFailure = exception;
                    throw;
                }

                AppDomain.CurrentDomain.ProcessExit += (_, _) => shared?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return shared;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>A server of this test's own, with the theme, plus whatever <paramref name="configure"/> adds; dispose it.</summary>
    public static async Task<KeycloakServer> StartOwnAsync(Action<KeycloakServerOptions>? configure = null)
    {
        var distribution = await KeycloakDistribution.OpenAsync(ZipPath()).ConfigureAwait(false);
        var options = new KeycloakServerOptions { Log = message => TestContext.Progress.WriteLine(message) };
        options.Themes.Add(ThemeFolder);
        configure?.Invoke(options);
        return await KeycloakServer.StartAsync(distribution, options).ConfigureAwait(false);
    }
}
