using System.Globalization;
using System.Reflection;

namespace IdpBridge.TryIt;

/// <summary>What one try-it run uses: the Keycloak zip, the ports on this machine, the state folder, the repository's parts.</summary>
internal sealed record TryItSettings
{
    /// <summary>The realm the demo provisions (<c>realm-config/externos</c>).</summary>
    public const string Realm = "externos";

    /// <summary>The environment variable that moves the state folder.</summary>
    public const string StateVariable = "IDPBRIDGE_TRY_IT_HOME";

    /// <summary>The Keycloak server distribution zip (<c>null</c>: <c>IDPBRIDGE_KEYCLOAK_ZIP</c>).</summary>
    public string? Zip { get; init; }

    /// <summary>Keycloak's HTTP port on 127.0.0.1.</summary>
    public int KeycloakPort { get; init; } = 8080;

    /// <summary>The IdpBridge service's port on the loopback interfaces.</summary>
    public int ServicePort { get; init; } = 8081;

    /// <summary>The mail catcher's web page.</summary>
    public int MailPort { get; init; } = 8025;

    /// <summary>The mail catcher's SMTP port (the realm's <c>smtpServer</c> points there).</summary>
    public int SmtpPort { get; init; } = 1025;

    /// <summary>Where the store, the service's log, the run's pids and the CLI settings live.</summary>
    public string StateFolder { get; init; } = DefaultStateFolder();

    /// <summary>The repository the demo comes from (realm-config/, keycloak-theme/, keycloak-extension/).</summary>
    public string RepositoryRoot { get; init; } = BuildMetadata("RepositoryRoot");

    /// <summary>The required-action bridge's jar, built by <c>scripts/build-extension.sh</c>.</summary>
    public string ExtensionJar => Path.Combine(RepositoryRoot, "keycloak-extension", "build", "idpbridge-keycloak-extension.jar");

    /// <summary>The login theme.</summary>
    public string Theme => Path.Combine(RepositoryRoot, "keycloak-theme", "idpbridge");

    /// <summary>The demo realm's folder (realm.json and its policies).</summary>
    public string RealmFolder => Path.Combine(RepositoryRoot, "realm-config", Realm);

    /// <summary>The <c>idpbridge</c> command's assembly, in its build output.</summary>
    public string Cli { get; init; } = BuildMetadata("IdpBridge.Cli");

    /// <summary>The service's assembly, in its build output.</summary>
    public string Service { get; init; } = BuildMetadata("IdpBridge.Service");

    /// <summary>The SQLite file the CLI and the service share.</summary>
    public string StorePath => Path.Combine(StateFolder, "idpbridge.db");

    /// <summary>Keycloak as browsers, the service and the CLI reach it: one host name, so that tokens carry one issuer.</summary>
    public Uri KeycloakUrl => Local(KeycloakPort);

    /// <summary>The service as browsers reach it (the terms step links there, the admin page signs in back to it).</summary>
    public Uri ServiceUrl => Local(ServicePort);

    /// <summary>The mail catcher's page.</summary>
    public Uri MailUrl => Local(MailPort);

    /// <summary><c>$IDPBRIDGE_TRY_IT_HOME</c>, else <c>$XDG_STATE_HOME/idpbridge/try-it</c>, else <c>~/.local/state/idpbridge/try-it</c>.</summary>
    public static string DefaultStateFolder()
    {
        if (Environment.GetEnvironmentVariable(StateVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "idpbridge", "try-it");
    }

    private static Uri Local(int port) => new($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/");

    private static string BuildMetadata(string key) =>
        typeof(TryItSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
