using System.Globalization;
using System.Security.Cryptography;
using IdpBridge.KeycloakLauncher;
using IdpBridge.MailCatcher;

namespace IdpBridge.TryIt;

/// <summary>
/// One try-it run: the mail catcher, the real Keycloak (through the project's launcher, with the idpbridge theme and the
/// bridge's jar), the demo realm applied by <c>idpbridge realm apply</c>, policy v1 published, the demo people, and the
/// IdpBridge service. Everything is started fresh; disposing stops all of it, in reverse order, and removes the run's
/// pids and CLI settings (the store and the service's log stay, until the next run starts over).
/// </summary>
internal sealed class TryItStack : IAsyncDisposable
{
    private readonly TryItSettings settings;
    private readonly Action<string> log;
    private readonly List<IAsyncDisposable> started = [];
    private RunState state;

    private TryItStack(TryItSettings settings, Action<string> log)
    {
        this.settings = settings;
        this.log = log;
        state = RunState.Starting(settings);
    }

    /// <summary>The master realm's bootstrap admin user (Keycloak's admin console).</summary>
    public DemoPerson MasterAdmin { get; private set; } = null!;

    /// <summary>The demo realm's administrator (the admin page).</summary>
    public DemoPerson Admin { get; private set; } = null!;

    /// <summary>The demo realm's user.</summary>
    public DemoPerson User { get; private set; } = null!;

    /// <summary>Keycloak's version.</summary>
    public string KeycloakVersion { get; private set; } = "";

    /// <summary>The settings file for <c>scripts/try-it.sh idpbridge ...</c> (mode 0600).</summary>
    public string CliSettingsFile => CliEnvironmentFile.PathIn(settings.StateFolder);

    /// <summary>Checks what can be checked first (another run, ports, Java, the zip, the builds), then starts everything.</summary>
    public static async Task<TryItStack> StartAsync(TryItSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        Preflight.Check(settings);
        var distribution = await KeycloakDistribution.OpenAsync(settings.Zip, cancellationToken).ConfigureAwait(false);
        var stack = new TryItStack(settings, log);
        try
        {
            await stack.StartAllAsync(distribution, cancellationToken).ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything this run started and removes its pids and CLI settings.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var index = started.Count - 1; index >= 0; index--)
        {
            await started[index].DisposeAsync().ConfigureAwait(false);
        }

        started.Clear();
        File.Delete(CliSettingsFile);
        File.Delete(RunState.PathIn(settings.StateFolder));
    }

    private async Task StartAllAsync(KeycloakDistribution distribution, CancellationToken cancellationToken)
    {
        StartOver();
        state.Write(settings.StateFolder);

        var mail = SmtpSink.Start(settings.SmtpPort);
        started.Add(mail);
        started.Add(await MailPage.StartAsync(mail, settings.MailPort, cancellationToken).ConfigureAwait(false));

        log($"Starting Keycloak {distribution.Version} on {settings.KeycloakUrl} (about 20 s; the first start builds, about a minute)...");
        var options = new KeycloakServerOptions { HttpPort = settings.KeycloakPort, Log = log };
        options.Themes.Add(settings.Theme);
        options.Providers.Add(settings.ExtensionJar);
        // Read by the login theme (theme.properties): where the terms step links to the full policy.
        options.Environment["IDPBRIDGE_PUBLIC_URL"] = settings.ServiceUrl.ToString().TrimEnd('/');
        var keycloak = await KeycloakServer.StartAsync(distribution, options, cancellationToken).ConfigureAwait(false);
        started.Add(keycloak);
        KeycloakVersion = keycloak.Version;
        MasterAdmin = new DemoPerson(keycloak.AdminUsername, keycloak.AdminPassword);
        state = state with { KeycloakPid = keycloak.ProcessId };
        state.Write(settings.StateFolder);

        var serviceSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var cliSettings = CliSettings(keycloak, serviceSecret);
        CliEnvironmentFile.Write(CliSettingsFile, cliSettings);
        var cli = new IdpBridgeCommand(settings.Cli, cliSettings);
        log($"Provisioning the realm {TryItSettings.Realm} from realm-config/{TryItSettings.Realm} (idpbridge realm apply)...");
        await cli.RunAsync(cancellationToken, "realm", "apply", settings.RealmFolder, "--auto-approve").ConfigureAwait(false);
        log("Publishing policy v1 (idpbridge policy publish)...");
        var v1 = Path.Combine(settings.RealmFolder, "policies", "privacy", "v1");
        await cli.RunAsync(cancellationToken, "policy", "publish", Path.Combine(v1, "es.md"), Path.Combine(v1, "en.md"), "--realm", TryItSettings.Realm)
            .ConfigureAwait(false);

        using (var admin = await KeycloakAdmin.SignInAsync(keycloak.BaseUrl, keycloak.AdminClientId, keycloak.AdminClientSecret, cancellationToken).ConfigureAwait(false))
        {
            var added = await new AdminPageAccess(admin, TryItSettings.Realm).EnsureAsync(settings.ServiceUrl, cancellationToken).ConfigureAwait(false);
            if (added.Count > 0)
            {
                log($"Added what realm.json does not declare, for the admin page: {string.Join(", ", added)}.");
            }

            var people = new DemoPeople(admin, TryItSettings.Realm);
            Admin = await people.CreateAdminAsync(cancellationToken).ConfigureAwait(false);
            User = await people.CreateUserAsync(cancellationToken).ConfigureAwait(false);
        }

        log($"Starting the IdpBridge service on {settings.ServiceUrl} (log: {ServiceHost.LogFile(settings)})...");
        var service = await ServiceHost.StartAsync(settings, ServiceSettings(serviceSecret), cancellationToken).ConfigureAwait(false);
        started.Add(service);
        state = state with { ServicePid = service.ProcessId };
        state.Write(settings.StateFolder);
    }

    /// <summary>A run starts from nothing: Keycloak's data lives in the launcher's home and is gone, so the store must go too.</summary>
    private void StartOver()
    {
        Directory.CreateDirectory(settings.StateFolder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(settings.StateFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var file in new[] { settings.StorePath, settings.StorePath + "-wal", settings.StorePath + "-shm", ServiceHost.LogFile(settings) })
        {
            File.Delete(file);
        }

        var keys = Path.Combine(settings.StateFolder, "keys");
        if (Directory.Exists(keys))
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    /// <summary>The CLI's settings: master's bootstrap admin client (creating a realm takes one), the shared store, the realm file's references.</summary>
    private Dictionary<string, string> CliSettings(KeycloakServer keycloak, string serviceSecret)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IdpBridge__Keycloak__Url"] = Trimmed(settings.KeycloakUrl),
            ["IdpBridge__Keycloak__Realm"] = "master",
            ["IdpBridge__Keycloak__ClientId"] = keycloak.AdminClientId,
            ["IdpBridge__Keycloak__ClientSecret"] = keycloak.AdminClientSecret,
            ["IdpBridge__Storage__SqlitePath"] = settings.StorePath,
            ["IdpBridge__Policies__PublicBaseUrl"] = Trimmed(settings.ServiceUrl),
            // The key of the secret hashes stored beside the IdPs' and SMTP secrets; each run starts a fresh realm.
            ["IdpBridge__Provisioning__SecretHashKey"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            ["IDPBRIDGE_CLIENT_SECRET"] = serviceSecret,
            // The admin page client's redirect URIs in realm.json are under the service's public address.
            ["IDPBRIDGE_PUBLIC_URL"] = Trimmed(settings.ServiceUrl),
            ["SMTP_HOST"] = "127.0.0.1",
            ["SMTP_PORT"] = settings.SmtpPort.ToString(CultureInfo.InvariantCulture),
        };
        // Google and GitLab sign-in work once the person exports real credentials; the buttons are there either way.
        foreach (var name in new[] { "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "GITLAB_CLIENT_ID", "GITLAB_CLIENT_SECRET" })
        {
            values[name] = Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : "replace-me";
        }

        return values;
    }

    /// <summary>The service as the demo runs it: the realm's own least-privilege client, the admin API and page for the realm.</summary>
    private Dictionary<string, string> ServiceSettings(string serviceSecret) => new(StringComparer.Ordinal)
    {
        ["IdpBridge__Keycloak__Url"] = Trimmed(settings.KeycloakUrl),
        ["IdpBridge__Keycloak__Realm"] = TryItSettings.Realm,
        ["IdpBridge__Keycloak__ClientId"] = "idpbridge",
        ["IdpBridge__Keycloak__ClientSecret"] = serviceSecret,
        ["IdpBridge__AdminApi__Realm"] = TryItSettings.Realm,
        // Keycloak runs plain HTTP on this machine (start-dev): the service reads its keys over HTTP.
        ["IdpBridge__AdminApi__RequireHttpsMetadata"] = "false",
        ["IdpBridge__AdminApi__PageClientId"] = DemoRealmClients.AdminPage,
        ["IdpBridge__Storage__SqlitePath"] = settings.StorePath,
        ["IdpBridge__Policies__PublicBaseUrl"] = Trimmed(settings.ServiceUrl),
        ["ASPNETCORE_URLS"] = Trimmed(settings.ServiceUrl),
        ["AllowedHosts"] = "localhost;127.0.0.1",
        // A demo: a material version's rollout starts within seconds of its publication, not half a minute.
        ["IdpBridge__Rollouts__WorkerInterval"] = "00:00:05",
    };

    private static string Trimmed(Uri url) => url.ToString().TrimEnd('/');
}
