using System.Text.Json.Nodes;
using IdpBridge.MailCatcher;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Browser;

/// <summary>
/// What a person meets, for one test: a copy of the demo realm on the shared real Keycloak, provisioned by the real
/// <c>idpbridge realm apply</c>, its mail server (<c>smtpServer</c>, password from the environment) pointed at an
/// <see cref="SmtpSink"/> and its <c>demo-app</c> redirected to a local <see cref="DemoApp"/>; a policy store that the
/// CLI and, once started, the real service share; the service behind <see cref="RealKeycloak.PublicPages"/>, where the
/// login theme links. Disposing removes all of it (the realm too).
/// </summary>
internal sealed class DemoStack : IAsyncDisposable
{
    /// <summary>The demo realm's mail server password: a test value the sink never asks for.</summary>
    public const string SmtpPassword = "smtp-pass-e2e-61c0";

    private readonly string storeFolder;
    private readonly IReadOnlyDictionary<string, string> secrets;
    private IdpBridgeService? service;

    private DemoStack(RealServer server, SmtpSink mail, DemoApp app, DemoRealm realm, IReadOnlyDictionary<string, string> secrets)
    {
        Server = server;
        Mail = mail;
        App = app;
        Realm = realm;
        this.secrets = secrets;
        storeFolder = Directory.CreateTempSubdirectory("idpbridge-e2e-store-").FullName;
    }

    public RealServer Server { get; }

    public AdminRest Admin => Server.Admin;

    /// <summary>Keycloak's base URL as the browser reaches it.</summary>
    public Uri Keycloak => Server.Server.BaseUrl;

    public SmtpSink Mail { get; }

    public DemoApp App { get; }

    public DemoRealm Realm { get; }

    /// <summary>The realm's name.</summary>
    public string Name => Realm.Name;

    /// <summary>The SQLite file of the stack's store (policies, rollouts, the acceptance record) that the CLI and the service share.</summary>
    public string StorePath => Path.Combine(storeFolder, "idpbridge.db");

    /// <summary>The running service, once <see cref="StartServiceAsync"/> has run.</summary>
    public IdpBridgeService Service => service ?? throw new InvalidOperationException("The service is not started: call StartServiceAsync.");

    /// <summary>
    /// Copies the demo realm (in Admin API mode, or as the repository has it, in bridge mode, when
    /// <paramref name="bridgeMode"/>), lets <paramref name="configure"/> change the copy's realm file (more identity
    /// providers, say; <paramref name="secrets"/> are the environment its references need) and applies it with the real CLI.
    /// </summary>
    public static async Task<DemoStack> StartAsync(
        Action<JsonObject>? configure = null, IReadOnlyDictionary<string, string>? secrets = null, bool bridgeMode = false)
    {
        var server = await RealServer.SharedAsync();
        var mail = SmtpSink.Start();
        var app = await DemoApp.StartAsync();
        var realm = bridgeMode ? DemoRealm.Copy(server.Admin) : DemoRealm.CopyInAdminApiMode(server.Admin);
        var stack = new DemoStack(server, mail, app, realm, secrets ?? new Dictionary<string, string>());
        try
        {
            var config = stack.Realm.ReadConfig();
            var smtp = new JsonObject(mail.KeycloakSettings($"noreply@{stack.Name}.example", "Externos")
                .Select(setting => KeyValuePair.Create(setting.Key, (JsonNode?)JsonValue.Create(setting.Value))))
            {
                ["password"] = "${env:SMTP_PASSWORD}",
            };
            config["smtpServer"] = smtp;
            var client = config["clients"]!.AsArray().Single(c => c!["clientId"]!.GetValue<string>() == DemoApp.ClientId)!.AsObject();
            var origin = app.Url.GetLeftPart(UriPartial.Authority);
            client["redirectUris"] = new JsonArray(JsonValue.Create(app.Url + "*"));
            client["webOrigins"] = new JsonArray(JsonValue.Create(origin));
            client["attributes"]!["post.logout.redirect.uris"] = app.Url + "*";
            configure?.Invoke(config);
            stack.Realm.WriteConfig(config);

            var apply = await stack.Cli().RunAsync("realm", "apply", stack.Realm.Folder, "--auto-approve");
            Assert.That(apply.ExitCode, Is.EqualTo(0), $"idpbridge realm apply: {apply}");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>idpbridge</c> on the shared server with the bootstrap admin client, this stack's policy store, the public
    /// address the login theme links to, and the secrets the realm file references.
    /// </summary>
    public IdpBridgeProcess Cli()
    {
        var cli = Server.Cli();
        foreach (var (name, value) in StoreSettings().Concat(secrets))
        {
            cli.Environment[name] = value;
        }

        cli.Environment["SMTP_PASSWORD"] = SmtpPassword;
        return cli;
    }

    /// <summary>
    /// Publishes the demo privacy policy <paramref name="version"/> (<c>v1</c>, <c>v2</c>: es and en) with
    /// <c>idpbridge policy publish</c> and returns what it printed with <c>--output json</c> (number, effectiveAt...).
    /// </summary>
    public async Task<JsonObject> PublishAsync(string version)
    {
        var folder = Path.Combine(Realm.Folder, "policies", "privacy", version);
        var run = await Cli().RunAsync("policy", "publish", Path.Combine(folder, "es.md"), Path.Combine(folder, "en.md"), "--realm", Name, "--output", "json");
        Assert.That(run.ExitCode, Is.EqualTo(0), $"idpbridge policy publish {version}: {run}");
        return JsonNode.Parse(run.Output)!.AsObject();
    }

    /// <summary>
    /// Starts the real service as the stack runs it (the realm's own <c>idpbridge</c> client, the same store) and puts
    /// it behind <see cref="RealKeycloak.PublicPages"/>. Rollouts do not start by themselves here: this stack shows what
    /// a person meets, and another writer of required actions would race the test's own steps.
    /// <paramref name="settings"/> (environment variables) are added last: they win over the stack's own.
    /// </summary>
    public async Task StartServiceAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(StoreSettings(), StringComparer.Ordinal)
        {
            ["IdpBridge__Keycloak__Url"] = Keycloak.ToString().TrimEnd('/'),
            ["IdpBridge__Keycloak__Realm"] = Name,
            ["IdpBridge__Keycloak__ClientId"] = "idpbridge",
            ["IdpBridge__Keycloak__ClientSecret"] = DemoRealm.Secrets["IDPBRIDGE_CLIENT_SECRET"],
            ["IdpBridge__AdminApi__Realm"] = Name,
            ["IdpBridge__AdminApi__RequireHttpsMetadata"] = "false",
            ["IdpBridge__Rollouts__AutoStart"] = "false",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        service = await IdpBridgeService.StartAsync(environment);
        RealKeycloak.PublicPages.Target = service.Url;
    }

    /// <summary>Creates a person in the realm through the admin API (validated, default roles), email verified, with a password.</summary>
    public Task<string> CreatePersonAsync(string email, string firstName, string lastName, string password, params string[] requiredActions) =>
        Admin.CreateUserAsync(Name, People.Representation(email, firstName, lastName, password, requiredActions));

    /// <summary>A user of the realm, full representation.</summary>
    public async Task<JsonObject> UserAsync(string id) =>
        (await Admin.GetAsync($"realms/{Uri.EscapeDataString(Name)}/users/{Uri.EscapeDataString(id)}"))!.AsObject();

    /// <summary>The realm's stored events of <paramref name="type"/> for <paramref name="userId"/>, newest first.</summary>
    public async Task<List<JsonObject>> EventsAsync(string type, string userId) =>
        (await Admin.GetAsync($"realms/{Uri.EscapeDataString(Name)}/events?type={type}&user={Uri.EscapeDataString(userId)}"))!
            .AsArray().Select(e => e!.AsObject()).ToList();

    /// <summary>Stops the service started by <see cref="StartServiceAsync"/>, if any; the public address answers 503 again.</summary>
    public void StopService()
    {
        if (service is not null)
        {
            RealKeycloak.PublicPages.Target = null;
            service.Dispose();
            service = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        StopService();

        await Realm.DisposeAsync();
        await App.DisposeAsync();
        await Mail.DisposeAsync();
        Server.Dispose();
        Directory.Delete(storeFolder, recursive: true);
    }

    private Dictionary<string, string> StoreSettings() => new(StringComparer.Ordinal)
    {
        ["IdpBridge__Storage__SqlitePath"] = StorePath,
        ["IdpBridge__Policies__PublicBaseUrl"] = RealKeycloak.PublicPages.Url.ToString().TrimEnd('/'),
    };
}
