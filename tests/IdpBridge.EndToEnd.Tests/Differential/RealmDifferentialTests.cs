using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The realm requests <c>realm plan | apply | export</c> send, answered by the real server and the simulator alike.</summary>
public sealed class RealmDifferentialTests
{
    [Test]
    public async Task GetRealm_New_SameRepresentation()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}")).AssertSame();
    }

    [Test]
    public async Task PutRealm_PartialFields_OnlyThoseChangeAndSetsComeBackInTheServersOrder()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}", new JsonObject
        {
            ["loginTheme"] = "idpbridge",
            ["internationalizationEnabled"] = true,
            ["supportedLocales"] = new JsonArray("es", "en", "pt-BR"),
            ["defaultLocale"] = "es",
            ["eventsEnabled"] = true,
            ["eventsExpiration"] = 31536000,
            ["enabledEventTypes"] = new JsonArray("LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"),
            ["eventsListeners"] = new JsonArray("jboss-logging", "email"),
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}")).AssertSame();
    }

    [Test]
    public async Task PutRealm_Attributes_ReplaceTheWholeSet()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}", new JsonObject { ["attributes"] = new JsonObject { ["a"] = "1", ["b"] = "2" } })).AssertSame();
        var first = await both.SendAsync(HttpMethod.Get, "realms/{realm}");
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}", new JsonObject { ["attributes"] = new JsonObject { ["c"] = "3" }, ["displayName"] = "Shop" })).AssertSame();
        var second = await both.SendAsync(HttpMethod.Get, "realms/{realm}");

        first.AssertSame();
        second.AssertSame();
        Assert.That(second.Server.Body!["attributes"]!["a"], Is.Null, "the server dropped the attribute left out");
    }

    [Test]
    public async Task Realms_UnknownAndDuplicate_SameErrors()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}-absent")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}-absent", new JsonObject { ["loginTheme"] = "x" })).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms", new JsonObject { ["realm"] = both.Realm, ["enabled"] = true })).AssertSame();
    }
}
