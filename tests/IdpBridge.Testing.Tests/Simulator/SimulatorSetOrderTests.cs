using System.Text.Json.Nodes;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>
/// Set-valued fields come back in the order the real Keycloak 26.7.3 answered the same writes (seen by hand against
/// it), not in the order sent: a client that compares them by order must fail against the simulator too.
/// </summary>
[TestFixture]
public sealed class SimulatorSetOrderTests : RealmFixture
{
    [Test]
    public async Task PutRealm_SetValuedSettings_ReadBackInTheServersOrder()
    {
        var status = await PutAsync(Http, Admin(Sim, "externos"), new JsonObject
        {
            ["supportedLocales"] = new JsonArray("es", "en", "de", "fr"),
            ["enabledEventTypes"] = new JsonArray("LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"),
            ["eventsListeners"] = new JsonArray("email", "jboss-logging", "email"),
        });
        var rep = await GetJsonAsync(Http, Admin(Sim, "externos"));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(204));
            Assert.That(Strings(rep["supportedLocales"]), Is.EqualTo(new[] { "de", "en", "fr", "es" }));
            Assert.That(Strings(rep["enabledEventTypes"]), Is.EqualTo(new[]
            {
                "CUSTOM_REQUIRED_ACTION", "REGISTER", "LOGIN_ERROR", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION_ERROR", "LOGIN",
            }));
            Assert.That(Strings(rep["eventsListeners"]), Is.EqualTo(new[] { "jboss-logging", "email" }));
        });
    }

    [Test]
    public async Task CreateClient_SetValuedFields_ReadBackInTheServersOrder()
    {
        var (status, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/clients"), new JsonObject
        {
            ["clientId"] = "app",
            ["publicClient"] = true,
            ["redirectUris"] = new JsonArray("http://z.example/*", "http://a.example/*", "http://m.example/cb"),
            ["webOrigins"] = new JsonArray("http://z.example", "http://a.example", "+"),
            ["defaultClientScopes"] = new JsonArray("roles", "email", "profile"),
            ["optionalClientScopes"] = new JsonArray("phone", "address"),
        });
        var client = await GetJsonAsync(Http, response.Headers.Location!.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(201));
            Assert.That(Strings(client["redirectUris"]), Is.EqualTo(new[] { "http://a.example/*", "http://z.example/*", "http://m.example/cb" }));
            Assert.That(Strings(client["webOrigins"]), Is.EqualTo(new[] { "http://z.example", "http://a.example", "+" }));
            Assert.That(Strings(client["defaultClientScopes"]), Is.EqualTo(new[] { "roles", "profile", "email" }));
            Assert.That(Strings(client["optionalClientScopes"]), Is.EqualTo(new[] { "address", "phone" }));
        });
    }

    [Test]
    public async Task PutClient_ClientScopes_AreNotChangedByTheClientsPut()
    {
        var (_, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/clients"), new JsonObject
        {
            ["clientId"] = "app",
            ["defaultClientScopes"] = new JsonArray("roles", "email", "profile"),
        });
        var url = response.Headers.Location!.ToString();

        var status = await PutAsync(Http, url, new JsonObject
        {
            ["clientId"] = "app",
            ["defaultClientScopes"] = new JsonArray("roles"),
            ["redirectUris"] = new JsonArray("http://z.example/*"),
        });
        var client = await GetJsonAsync(Http, url);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(204));
            Assert.That(Strings(client["defaultClientScopes"]), Is.EqualTo(new[] { "roles", "profile", "email" }));
            Assert.That(Strings(client["redirectUris"]), Is.EqualTo(new[] { "http://z.example/*" }));
        });
    }

    [Test]
    public async Task PutUserProfile_RoleAndScopeSets_ReadBackInTheServersOrder()
    {
        var profile = (JsonObject)await GetJsonAsync(Http, Admin(Sim, "externos", "/users/profile"));
        profile["attributes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "dept",
            ["permissions"] = new JsonObject { ["view"] = new JsonArray("user", "admin"), ["edit"] = new JsonArray("admin") },
            ["required"] = new JsonObject { ["roles"] = new JsonArray("user", "admin"), ["scopes"] = new JsonArray("profile", "email", "address") },
            ["selector"] = new JsonObject { ["scopes"] = new JsonArray("profile", "phone", "email") },
        });

        var status = await PutAsync(Http, Admin(Sim, "externos", "/users/profile"), profile);
        var dept = (await GetJsonAsync(Http, Admin(Sim, "externos", "/users/profile")))["attributes"]!.AsArray()[^1]!;

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(Strings(dept["permissions"]!["view"]), Is.EqualTo(new[] { "admin", "user" }));
            Assert.That(Strings(dept["required"]!["roles"]), Is.EqualTo(new[] { "admin", "user" }));
            Assert.That(Strings(dept["required"]!["scopes"]), Is.EqualTo(new[] { "address", "profile", "email" }));
            Assert.That(Strings(dept["selector"]!["scopes"]), Is.EqualTo(new[] { "phone", "profile", "email" }));
        });
    }
}
