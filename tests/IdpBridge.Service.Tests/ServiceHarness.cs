using System.Net.Http.Headers;
using System.Net.Http.Json;
using IdpBridge.Testing.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The real service (WebApplicationFactory over Program) against a simulator: realm <c>externos</c> with the
/// service's own least-privilege client, a fresh SQLite file, and tokens issued by the simulator's realm.
/// </summary>
internal sealed class ServiceHarness : IDisposable
{
    public const string Realm = "externos";

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"idpbridge-service-{Guid.NewGuid():N}");
    private readonly Action<IWebHostBuilder> configure;

    /// <param name="onLoopback">Serve on a real loopback port (Kestrel), for a browser; else in memory.</param>
    /// <param name="settings">More configuration (e.g. <c>IdpBridge:Rollouts:AutoStart</c>), applied after the harness's own.</param>
    public ServiceHarness(bool onLoopback = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        Simulator = KeycloakSimulator.Start();
        var realm = Simulator.CreateRealm(Realm);
        realm.SetSetting("internationalizationEnabled", true);
        realm.SetSetting("supportedLocales", new System.Text.Json.Nodes.JsonArray("es", "en"));
        realm.SetSetting("defaultLocale", "es");
        var secret = Simulator.AddServiceAccountClient(Realm, "idpbridge", "view-users", "manage-users", "view-events", "view-realm", "manage-realm");
        Directory.CreateDirectory(folder);
        configure = host =>
        {
            host.UseSetting("IdpBridge:Keycloak:Url", Simulator.Url);
            host.UseSetting("IdpBridge:Keycloak:Realm", Realm);
            host.UseSetting("IdpBridge:Keycloak:ClientId", "idpbridge");
            host.UseSetting("IdpBridge:Keycloak:ClientSecret", secret);
            host.UseSetting("IdpBridge:AdminApi:Realm", Realm);
            host.UseSetting("IdpBridge:AdminApi:RequireHttpsMetadata", "false");
            host.UseSetting("IdpBridge:Storage:SqlitePath", DatabasePath);
            host.UseSetting("IdpBridge:Policies:PublicBaseUrl", "https://idp.example.org");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }
        };
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(configure);
        if (onLoopback)
        {
            Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            Factory.StartServer();
        }
    }

    public KeycloakSimulator Simulator { get; }

    /// <summary>The served realm with the terms action on (a default action) and events kept: what the ledger reads.</summary>
    public SimulatedRealm TermsRealm()
    {
        var realm = Simulator.Realm(Realm);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", true);
        return realm;
    }

    public WebApplicationFactory<Program> Factory { get; private set; }

    /// <summary>The service's SQLite file.</summary>
    public string DatabasePath => Path.Combine(folder, "idpbridge.db");

    /// <summary>
    /// Stops the service (as a shutdown would: hosted services stop, the host is disposed), runs
    /// <paramref name="whileStopped"/>, and starts a new one on the same configuration and database. Clients made
    /// before are dead; make new ones.
    /// </summary>
    public async Task RestartAsync(Func<Task> whileStopped)
    {
        ArgumentNullException.ThrowIfNull(whileStopped);
        await Factory.DisposeAsync();
        await whileStopped();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(configure);
    }

    public static string DemoPolicy(string version, string locale) =>
        File.ReadAllText(Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy", version, $"{locale}.md"));

    /// <summary>
    /// Publishes the demo privacy policy <paramref name="version"/> (es and en) through the admin API, taking effect at
    /// <paramref name="effective"/> (default now); <paramref name="appendix"/> is added to each text, making a new
    /// version, of the documents' kind unless <paramref name="kind"/> says otherwise.
    /// </summary>
    public static Task<HttpResponseMessage> PublishAsync(
        HttpClient admin, string version, DateTimeOffset? effective = null, string appendix = "", string? kind = null) =>
        admin.PostAsJsonAsync($"/api/admin/realms/{Realm}/policies/privacy/versions", new
        {
            kind,
            effective,
            documents = new[]
            {
                new { name = "es.md", content = DemoPolicy(version, "es") + appendix },
                new { name = "en.md", content = DemoPolicy(version, "en") + appendix },
            },
        });

    /// <summary>An admin token as Keycloak would issue it: audience idpbridge, realm role idpbridge-admin.</summary>
    public string AdminToken(IReadOnlyDictionary<string, object?>? overrides = null, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = "idpbridge",
            ["sub"] = "7c1f2d9e-admin",
            ["preferred_username"] = "ana.admin",
            ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "idpbridge-admin", "offline_access" } },
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            claims[key] = value;
        }

        return Simulator.IssueToken(Realm, claims, lifetime);
    }

    public HttpClient Client(string? token = null)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public void Dispose()
    {
        Factory.Dispose();
        Simulator.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
