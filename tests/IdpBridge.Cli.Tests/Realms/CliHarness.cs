using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Configuration;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary>Runs <c>idpbridge</c> in-process against a simulator, with settings as the environment would give them.</summary>
internal sealed class CliHarness : IDisposable
{
    /// <summary>A harness on a simulator with <paramref name="options"/>; by default one that, as the real test server, has IdpBridge's extension installed.</summary>
    public CliHarness(SimulatorOptions? options = null)
    {
        Simulator = KeycloakSimulator.Start(options ?? WithTheBridge);
        Settings = new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:Url"] = Simulator.Url,
            ["IdpBridge:Keycloak:ClientId"] = Simulator.AdminClientId,
            ["IdpBridge:Keycloak:ClientSecret"] = Simulator.AdminClientSecret,
            ["IdpBridge:Keycloak:RetryBaseDelay"] = "00:00:00.010",
            ["GOOGLE_CLIENT_ID"] = "google-client-id.apps.example",
            ["GOOGLE_CLIENT_SECRET"] = "g-secret-3f9a1c",
            ["GITLAB_CLIENT_ID"] = "gitlab-application-id",
            ["GITLAB_CLIENT_SECRET"] = "gl-secret-77d2e0",
            ["IDPBRIDGE_CLIENT_SECRET"] = "idpbridge-secret-5b6e",
        };
    }

    /// <summary>Simulator options of a Keycloak with IdpBridge's extension in its <c>providers/</c> (the demo realm runs in bridge mode).</summary>
    public static SimulatorOptions WithTheBridge { get; } = new() { InstalledRequiredActionProviders = [("idpbridge-terms", "IdpBridge terms (versioned)")] };

    private readonly List<TempFile> files = [];

    public KeycloakSimulator Simulator { get; }

    /// <summary>A new realm of the simulator with the terms action on (a default action) and events kept: what the ledger reads.</summary>
    public SimulatedRealm CreateTermsRealm(string name)
    {
        var realm = Simulator.CreateRealm(name);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", true);
        return realm;
    }

    /// <summary>The folder of the SQLite store that <see cref="UseTemporaryStore"/> set up; deleted on dispose.</summary>
    public string? StoreFolder { get; private set; }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>Every secret the settings hold: none may ever appear in what the command prints.</summary>
    public IEnumerable<string> Secrets =>
        Settings.Where(pair => pair.Key.Contains("SECRET", StringComparison.OrdinalIgnoreCase)).Select(pair => pair.Value!);

    public static string DemoRealm => Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "realm-config", "externos");

    /// <summary>Admin requests that change something (token requests excluded).</summary>
    public IReadOnlyList<RecordedRequest> Writes => Simulator.Requests
        .Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal) && request.Method != "GET")
        .ToList();

    public async Task<CliRun> RunAsync(params string[] args) => await RunAsync(interactive: false, input: "", args);

    public async Task<CliRun> RunAsync(bool interactive, string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        // No "Connecting to ..." on a loaded machine: tests compare standard error whole (KeycloakUnreachableTests checks it).
        var context = new CliContext(output, error, new StringReader(input), interactive, configuration) { ConnectingNoticeAfter = Timeout.InfiniteTimeSpan };
        var code = await IdpBridgeCommand.RunAsync(args, context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// The demo realm in Admin API mode, as the README shows it: a copy of its realm.json (deleted with the harness) whose
    /// <c>requiredActions</c> are <c>realm-config/modes/admin-api.requiredActions.json</c> and whose service account's roles
    /// are <c>realm-config/modes/admin-api.serviceAccountRoles.json</c>.
    /// </summary>
    public string AdminApiDemoRealm()
    {
        var modes = System.IO.Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "realm-config", "modes");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(DemoRealm, "realm.json")))!;
        config["requiredActions"] = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(modes, "admin-api.requiredActions.json")));
        config["users"]![0]!["clientRoles"]!["realm-management"] =
            System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(modes, "admin-api.serviceAccountRoles.json")));
        var file = new TempFile(config.ToJsonString());
        files.Add(file);
        return file.Path;
    }

    /// <summary>Points the store at a fresh SQLite file in a temporary folder, deleted with the harness.</summary>
    public CliHarness UseTemporaryStore()
    {
        StoreFolder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"idpbridge-cli-{Guid.NewGuid():N}");
        Settings["IdpBridge:Storage:SqlitePath"] = System.IO.Path.Combine(StoreFolder, "idpbridge.db");
        return this;
    }

    public void Dispose()
    {
        Simulator.Dispose();
        files.ForEach(file => file.Dispose());
        if (StoreFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(StoreFolder))
            {
                Directory.Delete(StoreFolder, recursive: true);
            }
        }
    }
}

internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>A file in the temporary folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string? content = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"idpbridge-{Guid.NewGuid():N}.json");
        if (content is not null)
        {
            File.WriteAllText(Path, content);
        }
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public void Dispose() => File.Delete(Path);
}
