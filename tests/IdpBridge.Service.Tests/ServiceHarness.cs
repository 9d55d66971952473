using System.Net.Http.Headers;
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

    /// <param name="onLoopback">Serve on a real loopback port (Kestrel), for a browser; else in memory.</param>
    public ServiceHarness(bool onLoopback = false)
    {
        Simulator = KeycloakSimulator.Start();
        var realm = Simulator.CreateRealm(Realm);
        realm.SetSetting("internationalizationEnabled", true);
        realm.SetSetting("supportedLocales", new System.Text.Json.Nodes.JsonArray("es", "en"));
        realm.SetSetting("defaultLocale", "es");
        var secret = Simulator.AddServiceAccountClient(Realm, "idpbridge", "view-users", "manage-users", "view-events", "view-realm", "manage-realm");
        Directory.CreateDirectory(folder);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("IdpBridge:Keycloak:Url", Simulator.Url);
            host.UseSetting("IdpBridge:Keycloak:Realm", Realm);
            host.UseSetting("IdpBridge:Keycloak:ClientId", "idpbridge");
            host.UseSetting("IdpBridge:Keycloak:ClientSecret", secret);
            host.UseSetting("IdpBridge:AdminApi:Realm", Realm);
            host.UseSetting("IdpBridge:AdminApi:RequireHttpsMetadata", "false");
            host.UseSetting("IdpBridge:Storage:SqlitePath", Path.Combine(folder, "idpbridge.db"));
            host.UseSetting("IdpBridge:Policies:PublicBaseUrl", "https://idp.example.org");
        });
        if (onLoopback)
        {
            Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            Factory.StartServer();
        }
    }

    public KeycloakSimulator Simulator { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public static string DemoPolicy(string version, string locale) =>
        File.ReadAllText(Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy", version, $"{locale}.md"));

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
