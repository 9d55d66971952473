using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Browser;

/// <summary>
/// Signing in through an identity provider, on the real server. Keycloak's <c>google</c> and <c>gitlab</c> providers
/// are wired to their own hosts, so an <c>oidc</c> provider pointing at a second realm of the same server stands in
/// for them, declared in the realm file and provisioned by <c>idpbridge realm apply</c> like the demo's own.
/// </summary>
[NonParallelizable]
public sealed class BrokeringTests
{
    /// <summary>The identity provider's alias in the realm.</summary>
    internal const string Alias = "upstream";

    /// <summary>The upstream person's password.</summary>
    internal const string Password = "Cl4ve-de-arriba!";
    private const string Phone = "+54 11 5555 0199";

    [Test]
    public async Task BrokeredFirstLogin_OidcUpstream_ImportsOnlyNameAndEmailKeepsNoTokenAndMeetsTheTerms()
    {
        using var real = await RealServer.SharedAsync();
        await using var upstream = await TestRealm.CreateAsync(real.Admin, "upstream");
        var clientSecret = "broker-secret-" + Guid.NewGuid().ToString("N")[..8];
        await using var stack = await DemoStack.StartAsync(
            config => config["identityProviders"]!.AsArray().Add(Provider(real.Server.BaseUrl, upstream.Name)),
            new Dictionary<string, string> { ["UPSTREAM_CLIENT_SECRET"] = clientSecret });
        await stack.PublishAsync("v1");
        var email = $"bea.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var upstreamUserId = await ArrangeUpstreamAsync(stack, upstream.Name, clientSecret, email);
        var offered = await IdTokenClaimsAsync(stack, upstream.Name, clientSecret, email);
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
        var page = browser.Page;

        await page.GotoAsync(stack.App.SignInUrl(stack.Keycloak, stack.Name).ToString());
        await page.ClickAsync($"#social-{Alias}");
        await Expect(page).ToHaveURLAsync(new Regex($"/realms/{upstream.Name}/"));
        await KeycloakForms.SubmitLoginAsync(page, email, Password);
        await Expect(page.Locator("#kc-terms-text")).ToContainTextAsync("Versión 1");
        var termsUrl = page.Url;
        await browser.KeepScreenshotAsync("e2e-brokered-terms", "The terms step at a brokered first login");
        await KeycloakForms.AcceptTermsAsync(page);

        var realm = Uri.EscapeDataString(stack.Name);
        var user = (await stack.Admin.GetAsync($"realms/{realm}/users?email={Uri.EscapeDataString(email)}&exact=true&briefRepresentation=false"))!
            .AsArray().Single()!.AsObject();
        var id = user["id"]!.GetValue<string>();
        var links = (await stack.Admin.GetAsync($"realms/{realm}/users/{id}/federated-identity"))!.AsArray();
        var provider = (await stack.Admin.GetAsync($"realms/{realm}/identity-provider/instances/{Alias}"))!.AsObject();
        var byPhone = (await stack.Admin.GetAsync($"realms/{realm}/users?q={Uri.EscapeDataString("phone:" + Phone)}"))!.AsArray();
        var byPhoneClaim = (await stack.Admin.GetAsync($"realms/{realm}/users?q={Uri.EscapeDataString("phone_number:" + Phone)}"))!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(offered["phone_number"]?.GetValue<string>(), Is.EqualTo(Phone), "the upstream does offer an extra attribute");
            Assert.That(termsUrl, Does.Contain($"/realms/{stack.Name}/login-actions/").And.Contain("execution=TERMS_AND_CONDITIONS"),
                "the first login goes straight to the terms step (no review-profile page: all three fields came)");
            Assert.That(stack.App.Callbacks.Single().ContainsKey("code"), Is.True);

            // Imported: username (the email), email, first and last name; nothing else.
            Assert.That(user["username"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(user["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(user["firstName"]!.GetValue<string>(), Is.EqualTo("Bea"));
            Assert.That(user["lastName"]!.GetValue<string>(), Is.EqualTo("Gómez"));
            Assert.That(user["emailVerified"]!.GetValue<bool>(), Is.True, "trustEmail, as for Google");
            Assert.That((user["attributes"] as JsonObject ?? []).Select(a => a.Key), Is.SubsetOf(new[] { "locale", "terms_and_conditions" }));
            Assert.That(byPhone.Concat(byPhoneClaim), Is.Empty, "the upstream's phone is stored nowhere, shown or not");
            Assert.That(user["attributes"]!["terms_and_conditions"], Is.Not.Null, "the terms were accepted");

            // The link, and no token kept with it.
            Assert.That(provider["storeToken"]!.GetValue<bool>(), Is.False);
            var link = links.Single()!.AsObject();
            Assert.That(link["identityProvider"]!.GetValue<string>(), Is.EqualTo(Alias));
            Assert.That(link["userId"]!.GetValue<string>(), Is.EqualTo(upstreamUserId));
            Assert.That(link.Select(field => field.Key), Is.SubsetOf(new[] { "identityProvider", "userId", "userName" }), "no token in the federated identity");

            Assert.That(browser.RequestsLeavingMachine, Is.Empty);
            Assert.That(browser.ConsoleErrors, Is.Empty);
        });
    }

    /// <summary>The stand-in, declared as a person would declare a self-hosted OIDC provider (PKCE S256, no token kept).</summary>
    internal static JsonObject Provider(Uri keycloak, string upstream)
    {
        var issuer = $"{keycloak.ToString().TrimEnd('/')}/realms/{upstream}";
        var endpoints = $"{issuer}/protocol/openid-connect";
        return new JsonObject
        {
            ["alias"] = Alias,
            ["displayName"] = "Upstream",
            ["providerId"] = "oidc",
            ["enabled"] = true,
            ["trustEmail"] = true,
            ["storeToken"] = false,
            ["addReadTokenRoleOnCreate"] = false,
            ["firstBrokerLoginFlowAlias"] = "first broker login",
            ["config"] = new JsonObject
            {
                ["issuer"] = issuer,
                ["authorizationUrl"] = $"{endpoints}/auth",
                ["tokenUrl"] = $"{endpoints}/token",
                ["userInfoUrl"] = $"{endpoints}/userinfo",
                ["jwksUrl"] = $"{endpoints}/certs",
                ["useJwksUrl"] = "true",
                ["validateSignature"] = "true",
                ["clientId"] = "externos-broker",
                ["clientSecret"] = "${env:UPSTREAM_CLIENT_SECRET}",
                ["clientAuthMethod"] = "client_secret_post",
                ["defaultScope"] = "openid email profile",
                ["pkceEnabled"] = "true",
                ["pkceMethod"] = "S256",
                ["syncMode"] = "IMPORT",
            },
        };
    }

    /// <summary>
    /// The upstream realm's client for the demo realm (sending an extra <c>phone_number</c> claim) and its person, Bea
    /// <paramref name="lastName"/> (none: the upstream sends no last name, and the first broker login asks for it).
    /// </summary>
    internal static async Task<string> ArrangeUpstreamAsync(DemoStack stack, string upstream, string clientSecret, string email, string? lastName = "Gómez")
    {
        var realm = Uri.EscapeDataString(upstream);
        var profile = (await stack.Admin.GetAsync($"realms/{realm}/users/profile"))!.AsObject();
        profile["unmanagedAttributePolicy"] = "ENABLED";
        if (lastName is null)
        {
            // The upstream has people without a last name (as GitLab's one-word names): its own profile must not ask them.
            foreach (var attribute in profile["attributes"]!.AsArray().Where(attribute => (string?)attribute!["name"] == "lastName"))
            {
                attribute!.AsObject().Remove("required");
            }
        }

        await stack.Admin.SendAsync(HttpMethod.Put, $"realms/{realm}/users/profile", profile);
        await stack.Admin.SendAsync(HttpMethod.Post, $"realms/{realm}/clients", new JsonObject
        {
            ["clientId"] = "externos-broker",
            ["enabled"] = true,
            ["publicClient"] = false,
            ["secret"] = clientSecret,
            ["standardFlowEnabled"] = true,
            ["directAccessGrantsEnabled"] = true,
            ["redirectUris"] = new JsonArray(JsonValue.Create($"{stack.Keycloak.ToString().TrimEnd('/')}/realms/{stack.Name}/broker/{Alias}/endpoint")),
            ["protocolMappers"] = new JsonArray(new JsonObject
            {
                ["name"] = "phone",
                ["protocol"] = "openid-connect",
                ["protocolMapper"] = "oidc-usermodel-attribute-mapper",
                ["config"] = new JsonObject
                {
                    ["user.attribute"] = "phone", ["claim.name"] = "phone_number", ["jsonType.label"] = "String",
                    ["id.token.claim"] = "true", ["access.token.claim"] = "true", ["userinfo.token.claim"] = "true",
                },
            }),
        });
        var person = new JsonObject
        {
            ["username"] = email,
            ["email"] = email,
            ["emailVerified"] = true,
            ["firstName"] = "Bea",
            ["enabled"] = true,
            ["attributes"] = new JsonObject { ["phone"] = new JsonArray(JsonValue.Create(Phone)) },
            ["credentials"] = new JsonArray(new JsonObject { ["type"] = "password", ["value"] = Password, ["temporary"] = false }),
        };
        if (lastName is not null)
        {
            person["lastName"] = lastName;
        }

        return await stack.Admin.CreateUserAsync(upstream, person);
    }

    /// <summary>The claims of an ID token the upstream issues to the broker's client for the person (password grant).</summary>
    private static async Task<JsonObject> IdTokenClaimsAsync(DemoStack stack, string upstream, string clientSecret, string email)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "externos-broker", ["client_secret"] = clientSecret,
            ["username"] = email, ["password"] = Password, ["scope"] = "openid email profile",
        });
        using var response = await http.PostAsync(new Uri(stack.Keycloak, $"realms/{Uri.EscapeDataString(upstream)}/protocol/openid-connect/token"), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        var payload = JsonNode.Parse(body)!["id_token"]!.GetValue<string>().Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='))))!.AsObject();
    }
}
