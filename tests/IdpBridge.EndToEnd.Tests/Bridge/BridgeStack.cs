using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>A policy version as <c>idpbridge policy publish</c> stored it.</summary>
internal sealed record PublishedVersion(int Version, string Kind, string Sha256);

/// <summary>
/// A realm of its own on the shared real Keycloak (which has the extension installed), in bridge mode: the login
/// theme, events kept, the extension's action registered and enabled, Keycloak's own TERMS_AND_CONDITIONS left off,
/// a policy store of its own for the real <c>idpbridge</c>, and a <see cref="DemoApp"/> to sign in to. Disposing
/// deletes the realm and the store.
/// </summary>
internal sealed partial class BridgeStack : IAsyncDisposable
{
    public const string Password = "Cl4ve-del-puente!";

    /// <summary>The extension's provider id and required-action alias.</summary>
    public const string ProviderId = "idpbridge-terms";

    private readonly string folder = Directory.CreateTempSubdirectory("idpbridge-bridge-e2e-").FullName;

    private BridgeStack(RealServer server, TestRealm realm, DemoApp app)
    {
        Server = server;
        Realm = realm;
        App = app;
    }

    public RealServer Server { get; }

    public AdminRest Admin => Server.Admin;

    public TestRealm Realm { get; }

    public string Name => Realm.Name;

    public DemoApp App { get; }

    private string RealmPath => $"realms/{Uri.EscapeDataString(Name)}";

    /// <summary>
    /// Starts a stack; <paramref name="languages"/>: the realm offers English and Spanish (English the default), as the
    /// demo realm does, instead of English only.
    /// </summary>
    public static async Task<BridgeStack> StartAsync(int? termsPriority = null, bool languages = false)
    {
        var server = await RealServer.SharedAsync();
        var app = await DemoApp.StartAsync();
        var representation = new JsonObject
        {
            ["loginTheme"] = "idpbridge",
            ["eventsEnabled"] = true,
            ["clients"] = new JsonArray(new JsonObject
            {
                ["clientId"] = DemoApp.ClientId,
                ["publicClient"] = true,
                ["standardFlowEnabled"] = true,
                ["redirectUris"] = new JsonArray(JsonValue.Create(app.Url + "*")),
                ["webOrigins"] = new JsonArray(JsonValue.Create(app.Url.GetLeftPart(UriPartial.Authority))),
                ["attributes"] = new JsonObject { ["pkce.code.challenge.method"] = "S256" },
            }),
        };
        if (languages)
        {
            representation["internationalizationEnabled"] = true;
            representation["supportedLocales"] = new JsonArray("en", "es");
            representation["defaultLocale"] = "en";
        }

        var realm = await TestRealm.CreateAsync(server.Admin, "bridge", representation);
        var stack = new BridgeStack(server, realm, app);
        await stack.RegisterAsync(termsPriority);
        return stack;
    }

    /// <summary><c>idpbridge</c> on this stack's store, pointed at the server (or at <paramref name="keycloakUrl"/>, a proxy in front of it).</summary>
    public IdpBridgeProcess Cli(Uri? keycloakUrl = null)
    {
        var cli = Server.Cli(keycloakUrl);
        cli.Environment["IdpBridge__Storage__SqlitePath"] = Path.Combine(folder, "idpbridge.db");
        return cli;
    }

    /// <summary>
    /// Publishes the text of <paramref name="version"/> (1 to 4, see <see cref="BridgePolicyFiles"/>) with the real
    /// <c>idpbridge policy publish</c>, which writes the version in force into the realm for the extension; the store
    /// numbers it (4 after 1 is number 2).
    /// </summary>
    public async Task<PublishedVersion> PublishAsync(int version)
    {
        var run = await Cli().RunAsync(["policy", "publish", .. BridgePolicyFiles.PublishArguments(version, folder), "--realm", Name, "--output", "json"]);
        Assert.That(run.ExitCode, Is.Zero, $"idpbridge policy publish v{version}: {run}");
        var json = JsonNode.Parse(run.Output)!;
        var published = new PublishedVersion(json["number"]!.GetValue<int>(), json["kind"]!.GetValue<string>(), json["contentHash"]!.GetValue<string>());
        Assert.That(published.Kind, Is.EqualTo(BridgePolicyFiles.Kind(version)));
        return published;
    }

    /// <summary>
    /// Sets <paramref name="attributes"/> on the realm by hand (other attributes sent back unchanged, since a realm PUT
    /// with <c>attributes</c> replaces the whole set): for tests that plant what IdpBridge would never write.
    /// </summary>
    public async Task WriteRealmAttributesAsync(IReadOnlyDictionary<string, string> attributes)
    {
        var current = (await Admin.GetAsync(RealmPath))!["attributes"] as JsonObject ?? [];
        var merged = current.DeepClone().AsObject();
        foreach (var (name, value) in attributes)
        {
            merged[name] = value;
        }

        await Admin.SendAsync(HttpMethod.Put, RealmPath, new JsonObject { ["attributes"] = merged });
    }

    /// <summary>
    /// Turns the required action <paramref name="alias"/> on or off (and makes it a default action or not, when
    /// given), as an administrator moves a realm between the modes: the whole action is read, changed and sent back.
    /// </summary>
    public async Task SetActionAsync(string alias, bool enabled, bool? defaultAction = null)
    {
        var path = $"{RealmPath}/authentication/required-actions/{alias}";
        var action = (await Admin.GetAsync(path))!.AsObject();
        action["enabled"] = enabled;
        if (defaultAction is { } value)
        {
            action["defaultAction"] = value;
        }

        await Admin.SendAsync(HttpMethod.Put, path, action);
    }

    /// <summary>A person created through <c>POST /users</c> (validated, default roles).</summary>
    public Task<string> CreatePersonAsync(string email, string firstName = "Ana", string lastName = "Pérez") =>
        Admin.CreateUserAsync(Name, People.Representation(email, firstName, lastName, Password));

    /// <summary>
    /// A person imported through partial import, which does not validate, as LDAP syncs and older versions leave
    /// people: here with a stored last name the profile refuses. Returns the id.
    /// </summary>
    public async Task<string> ImportPersonAsync(string email, string firstName, string lastName)
    {
        var person = People.Representation(email, firstName, lastName, Password);
        person["realmRoles"] = new JsonArray(JsonValue.Create($"default-roles-{Name}"));
        await Admin.ImportUsersAsync(Name, [person]);
        return (await Admin.GetAsync($"{RealmPath}/users?username={Uri.EscapeDataString(email)}&exact=true"))!.AsArray().Single()!["id"]!.GetValue<string>();
    }

    /// <summary>The user's representation as the admin API gives it (attributes the profile does not declare are left out).</summary>
    public async Task<JsonObject> UserAsync(string id) => (await Admin.GetAsync($"{RealmPath}/users/{Uri.EscapeDataString(id)}"))!.AsObject();

    /// <summary>
    /// Every attribute stored on the user, including those the user profile does not declare: read with the realm's
    /// unmanaged-attribute policy switched to ADMIN_VIEW for the read, then put back as it was.
    /// </summary>
    public async Task<JsonObject> StoredAttributesAsync(string id)
    {
        var profile = (await Admin.GetAsync($"{RealmPath}/users/profile"))!.AsObject();
        var viewing = profile.DeepClone().AsObject();
        viewing["unmanagedAttributePolicy"] = "ADMIN_VIEW";
        await Admin.SendAsync(HttpMethod.Put, $"{RealmPath}/users/profile", viewing);
        try
        {
            return (await UserAsync(id))["attributes"] as JsonObject ?? [];
        }
        finally
        {
            await Admin.SendAsync(HttpMethod.Put, $"{RealmPath}/users/profile", profile);
        }
    }

    /// <summary>
    /// The ids of the users whose stored <paramref name="name"/> is <paramref name="value"/> (<c>GET users?q=</c>), which
    /// finds attributes that no representation shows: <c>terms_and_conditions</c> is one while Keycloak's own terms
    /// action is disabled, as in bridge mode.
    /// </summary>
    public async Task<List<string>> UsersWithAsync(string name, string value) =>
        (await Admin.GetAsync($"{RealmPath}/users?q={Uri.EscapeDataString(name + ":" + value)}"))!
            .AsArray().Select(u => u!["id"]!.GetValue<string>()).ToList();

    /// <summary>The realm's stored events of <paramref name="type"/> for <paramref name="userId"/>, oldest first.</summary>
    public async Task<List<JsonObject>> EventsAsync(string type, string userId) =>
        (await Admin.GetAsync($"{RealmPath}/events?type={type}&user={Uri.EscapeDataString(userId)}&max=100"))!
            .AsArray().Select(e => e!.AsObject()).OrderBy(e => e["time"]!.GetValue<long>()).ToList();

    /// <summary>
    /// A browser of its own (no Keycloak cookie), at the application's sign-in, signed in with the password; with
    /// <paramref name="uiLocales"/>, the application asks Keycloak for that language (OIDC <c>ui_locales</c>).
    /// </summary>
    public async Task<BrowserSession> SignInAsync(string email, string? uiLocales = null)
    {
        var browser = await BrowserSession.StartAsync();
        var signIn = App.SignInUrl(Server.Server.BaseUrl, Name).ToString();
        await browser.Page.GotoAsync(uiLocales is null ? signIn : $"{signIn}&ui_locales={Uri.EscapeDataString(uiLocales)}");
        var before = browser.Page.Url;
        await KeycloakForms.SubmitLoginAsync(browser.Page, email, Password);
        await browser.Page.WaitForURLAsync(url => url != before);
        return browser;
    }

    /// <summary>
    /// What the browser shows now: <c>app</c> (Keycloak handed it back to the application), <c>terms:accept</c> or
    /// <c>terms:notice</c> (the extension's page, by its buttons), else the required action's alias (<c>VERIFY_PROFILE</c>).
    /// </summary>
    public static async Task<string> MeetsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Expect(page).ToHaveURLAsync(Landing());
        if (page.Url.Contains("/callback?", StringComparison.Ordinal))
        {
            return "app";
        }

        var execution = Landing().Match(page.Url).Groups["action"].Value;
        if (execution != ProviderId)
        {
            return execution;
        }

        await Expect(page.Locator("#kc-terms-form")).ToBeVisibleAsync();
        return await page.Locator("#kc-continue").CountAsync() > 0 ? "terms:notice" : "terms:accept";
    }

    /// <summary>
    /// Clicks <paramref name="selector"/> and waits for the page Keycloak answers with: every answer here leads to
    /// another address (the next action, or the application), so a changed URL is the sign.
    /// </summary>
    public static async Task ClickAsync(IPage page, string selector)
    {
        ArgumentNullException.ThrowIfNull(page);
        var before = page.Url;
        await page.ClickAsync(selector);
        await page.WaitForURLAsync(url => url != before);
    }

    public async ValueTask DisposeAsync()
    {
        await Realm.DisposeAsync();
        await App.DisposeAsync();
        Server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Registers the extension's required action and enables it (not as a default action: it decides by itself), at
    /// <paramref name="priority"/> when given (lower runs first; registering puts it last). PUT replaces every field:
    /// the registered action is read, changed and sent back whole.
    /// </summary>
    private async Task RegisterAsync(int? priority)
    {
        var path = $"{RealmPath}/authentication";
        await Admin.SendAsync(HttpMethod.Post, $"{path}/register-required-action", new JsonObject
        {
            ["providerId"] = ProviderId,
            ["name"] = "IdpBridge terms (versioned)",
        });
        var action = (await Admin.GetAsync($"{path}/required-actions/{ProviderId}"))!.AsObject();
        action["enabled"] = true;
        if (priority is { } value)
        {
            action["priority"] = value;
        }

        await Admin.SendAsync(HttpMethod.Put, $"{path}/required-actions/{ProviderId}", action);
    }

    // A required action's page (execution=<alias>; an authenticator's execution is a UUID, lower case) or the app's callback.
    [GeneratedRegex(@"execution=(?<action>idpbridge-terms|[A-Z_]+)(&|$)|/callback\?")]
    private static partial Regex Landing();
}
