using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>
/// What the demo realm provisions so that nobody makes anything by hand for the admin API and page: the admin role,
/// the admins group granted it, the audience scope, the sign-in client, and no address or phone scope on offer. Read
/// back from the real Keycloak; a token of a member of the group is fetched through the sign-in client.
/// </summary>
public sealed partial class DemoAccessTests : ProvisioningFixture
{
    private const string Password = "Cl4ve-de-prueba!";

    [Test]
    public async Task Apply_DemoRealm_MakesTheAdminRoleGroupAudienceScopeAndSignInClientAndOffersNoAddressOrPhone()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);

        var group = await GroupAsync(demo, "idpbridge-admins");
        var groupRoles = await ReadAsync(demo, $"/groups/{group["id"]}/role-mappings/realm");
        var scope = await ScopeAsync(demo, "idpbridge-audience");
        var clients = (await ReadAsync(demo, "/clients")).AsArray().Select(client => client!.AsObject()).ToList();
        var page = clients.Single(client => (string?)client["clientId"] == "idpbridge-admin-page");
        var offered = new List<string>();
        foreach (var kind in new[] { "/default-default-client-scopes", "/default-optional-client-scopes" })
        {
            offered.AddRange(Names(await ReadAsync(demo, kind)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Names(groupRoles), Is.EqualTo(new[] { "idpbridge-admin" }));
            Assert.That(scope["protocolMappers"]!.AsArray().Single()!["config"]!["included.custom.audience"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That(offered, Does.Not.Contain("address").And.Not.Contain("phone"), "the realm's defaults for new clients");
            foreach (var client in clients.Where(client => (string?)client["clientId"] is "idpbridge" or "demo-app" or "idpbridge-admin-page"))
            {
                Assert.That(Strings(client["defaultClientScopes"]).Concat(Strings(client["optionalClientScopes"])),
                    Does.Not.Contain("address").And.Not.Contain("phone"), (string?)client["clientId"]);
            }

            Assert.That(Strings(page["redirectUris"]), Is.EqualTo(new[] { "http://localhost:8081/admin/realms/externos/signin-oidc" }));
            Assert.That(Strings(page["defaultClientScopes"]), Is.EquivalentTo(new[] { "basic", "profile", "roles", "idpbridge-audience" }));
        });
    }

    [Test]
    public async Task PlanAndApply_GroupGrantRevokedAndMapperEditedThroughTheAdminApi_ShownAndRepaired()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var group = await GroupAsync(demo, "idpbridge-admins");
        var role = await ReadAsync(demo, "/roles/idpbridge-admin");
        await Admin.SendAsync(HttpMethod.Delete, $"realms/{Uri.EscapeDataString(demo.Name)}/groups/{group["id"]}/role-mappings/realm", new JsonArray(role.DeepClone()));
        var scope = await ScopeAsync(demo, "idpbridge-audience");
        var mapper = scope["protocolMappers"]!.AsArray().Single()!.AsObject();
        mapper["config"]!["included.custom.audience"] = "someone-else";
        await WriteAsync(demo, $"/client-scopes/{scope["id"]}/protocol-mappers/models/{mapper["id"]}", mapper);

        var plan = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");
        var apply = await IdpbridgeAsync("realm", "apply", demo.Folder, "--auto-approve");
        var after = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");

        var repairedRoles = await ReadAsync(demo, $"/groups/{group["id"]}/role-mappings/realm");
        var repaired = (await ScopeAsync(demo, "idpbridge-audience"))["protocolMappers"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
            Assert.That(plan.Output, Does.Contain("group:\n  ~ idpbridge-admins\n      realmRoles.idpbridge-admin: + true"));
            Assert.That(plan.Output, Does.Contain(
                "client-scope-mapper:\n  ~ idpbridge-audience/idpbridge audience\n      config.included.custom.audience: \"someone-else\" → \"idpbridge\""));
            Assert.That(plan.Output, Does.Contain("Plan: 0 to create, 2 to change, 0 to delete."));
            Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
            Assert.That(after.ExitCode, Is.EqualTo(0), after.ToString());
            Assert.That(Names(repairedRoles), Is.EqualTo(new[] { "idpbridge-admin" }));
            Assert.That(repaired["config"]!["included.custom.audience"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That(repaired["id"]!.GetValue<string>(), Is.EqualTo(mapper["id"]!.GetValue<string>()), "repaired in place, not made again");
        });
    }

    [Test]
    public async Task Token_MemberOfTheAdminsGroupSigningInThroughTheAdminPageClient_CarriesTheAdminRoleAndTheAdminApiAudience()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var admin = await PersonAsync(demo, "admin", inAdminsGroup: true);
        var someone = await PersonAsync(demo, "someone", inAdminsGroup: false);

        var adminToken = await SignInAsync(demo, admin);
        var otherToken = await SignInAsync(demo, someone);

        Assert.Multiple(() =>
        {
            Assert.That(Audiences(adminToken), Does.Contain("idpbridge"));
            Assert.That(Strings(adminToken["realm_access"]?["roles"]), Does.Contain("idpbridge-admin"));
            Assert.That(Audiences(otherToken), Does.Contain("idpbridge"), "the audience is the client's, whoever signs in");
            Assert.That(Strings(otherToken["realm_access"]?["roles"]), Does.Not.Contain("idpbridge-admin"));
            Assert.That(adminToken.AsObject().ContainsKey("address") || adminToken.AsObject().ContainsKey("phone_number"), Is.False);
        });
    }

    private async Task<JsonObject> GroupAsync(DemoRealm demo, string name) =>
        (await ReadAsync(demo, "/groups")).AsArray().Single(group => (string?)group!["name"] == name)!.AsObject();

    private async Task<JsonObject> ScopeAsync(DemoRealm demo, string name) =>
        (await ReadAsync(demo, "/client-scopes")).AsArray().Single(scope => (string?)scope!["name"] == name)!.AsObject();

    /// <summary>A person who can sign in at once (the realm's default required actions taken off), in the admins group or not.</summary>
    private async Task<string> PersonAsync(DemoRealm demo, string name, bool inAdminsGroup)
    {
        var email = $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var id = await Admin.CreateUserAsync(demo.Name, People.Representation(email, name, "Prueba", Password));
        await WriteAsync(demo, $"/users/{id}", new JsonObject { ["requiredActions"] = new JsonArray() });
        if (inAdminsGroup)
        {
            var group = await GroupAsync(demo, "idpbridge-admins");
            await WriteAsync(demo, $"/users/{id}/groups/{group["id"]}", new JsonObject());
        }

        return email;
    }

    /// <summary>
    /// Signs in through the admin page client as the service does (authorization code with PKCE S256, the registered
    /// redirect URI), filling Keycloak's login form over HTTP, and returns the access token's claims.
    /// </summary>
    private async Task<JsonNode> SignInAsync(DemoRealm demo, string username)
    {
        const string redirect = "http://localhost:8081/admin/realms/externos/signin-oidc";
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var realmUrl = $"{Server.Server.BaseUrl.ToString().TrimEnd('/')}/realms/{Uri.EscapeDataString(demo.Name)}/protocol/openid-connect";
        // Keycloak marks its session cookies Secure; a browser sends them to http://127.0.0.1 (a secure context), .NET's
        // cookie container does not: the cookies are carried by hand.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var page = await http.GetAsync(
            $"{realmUrl}/auth?client_id=idpbridge-admin-page&response_type=code&scope=openid&state=s1&redirect_uri={Uri.EscapeDataString(redirect)}" +
            $"&code_challenge={challenge}&code_challenge_method=S256");
        var login = await page.Content.ReadAsStringAsync();
        var cookies = string.Join("; ", (page.Headers.TryGetValues("Set-Cookie", out var set) ? set : []).Select(cookie => cookie.Split(';')[0]));
        var form = LoginForm().Match(login);
        var action = form.Success && FormAction().Match(form.Value) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new AssertionException("Keycloak showed no login form: " + login[..Math.Min(400, login.Length)]);
        using var post = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = Password, ["credentialId"] = "" }),
        };
        post.Headers.Add("Cookie", cookies);
        using var submitted = await http.SendAsync(post);
        var location = submitted.Headers.Location?.ToString() ?? "";
        Assert.That(location, Does.StartWith(redirect + "?"), $"the sign-in ended at {(int)submitted.StatusCode} {location}");
        var code = Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value;

        using var token = await http.PostAsync($"{realmUrl}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "idpbridge-admin-page", ["code"] = Uri.UnescapeDataString(code),
            ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.That(token.IsSuccessStatusCode, Is.True, body);
        var payload = JsonNode.Parse(body)!["access_token"]!.GetValue<string>().Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!;
    }

    private static string[] Audiences(JsonNode token) => token["aud"] is JsonValue single ? [single.GetValue<string>()] : Strings(token["aud"]);

    private static string[] Names(JsonNode? list) => list is JsonArray array ? [.. array.Select(item => item!["name"]!.GetValue<string>())] : [];

    [GeneratedRegex("<form[^>]*\\bid=\"kc-form-login\"[^>]*>")]
    private static partial Regex LoginForm();

    [GeneratedRegex("\\baction=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
