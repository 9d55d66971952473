using IdpBridge.KeycloakLauncher;

namespace IdpBridge.TryIt;

/// <summary>What a run checks before it starts anything, each failure said with what to do.</summary>
internal static class Preflight
{
    /// <summary>Another run of the same state folder, the ports, Java, and the parts built from the repository.</summary>
    public static void Check(TryItSettings settings)
    {
        if (RunState.Read(settings.StateFolder) is { } previous)
        {
            if (previous.IsRunning)
            {
                throw new TryItException(
                    $"try-it is already running (pid {previous.Pid}, started {previous.StartedAt}): Keycloak at {previous.KeycloakUrl}, " +
                    $"IdpBridge at {previous.ServiceUrl}. Stop it with `scripts/try-it.sh stop` (or Ctrl+C where it runs), then start again.");
            }

            // A run that was killed: its service and Keycloak are stopped by their watchdogs; make sure, then start over.
            previous.KillLeftovers();
            File.Delete(RunState.PathIn(settings.StateFolder));
        }

        JavaRuntime.Find();
        ZipExists(settings.Zip ?? Environment.GetEnvironmentVariable(KeycloakDistribution.ZipVariable));
        Require(settings.ExtensionJar, "the bridge's jar is not built: run scripts/build-extension.sh (scripts/try-it.sh does when it is missing)");
        Require(settings.Cli, "the idpbridge command is not built: run `dotnet build tools/IdpBridge.TryIt` (scripts/try-it.sh does)");
        Require(settings.Service, "the IdpBridge service is not built: run `dotnet build tools/IdpBridge.TryIt` (scripts/try-it.sh does)");
        if (!Directory.Exists(settings.Theme) || !File.Exists(Path.Combine(settings.RealmFolder, "realm.json")))
        {
            throw new TryItException(
                $"{settings.RepositoryRoot} is not a complete IdpBridge checkout " +
                $"(keycloak-theme/idpbridge and realm-config/{TryItSettings.Realm}/realm.json are needed).");
        }

        Ports.EnsureFree(settings);
    }

    /// <summary>The zip's absence said at once, before the ports are looked at (the launcher says the same when it opens it).</summary>
    private static void ZipExists(string? zip)
    {
        if (string.IsNullOrEmpty(zip))
        {
            throw new TryItException($"No Keycloak distribution zip was given: pass --zip or set {KeycloakDistribution.ZipVariable}; {KeycloakDistribution.DownloadHint}.");
        }

        if (!File.Exists(zip))
        {
            throw new TryItException($"The Keycloak distribution zip {Path.GetFullPath(zip)} does not exist; {KeycloakDistribution.DownloadHint}.");
        }
    }

    private static void Require(string file, string what)
    {
        if (!File.Exists(file))
        {
            throw new TryItException($"{file} does not exist: {what}.");
        }
    }
}
