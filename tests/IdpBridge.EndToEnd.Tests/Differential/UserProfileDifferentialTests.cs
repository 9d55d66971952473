using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The user-profile requests <c>realm plan | apply | export</c> send, answered by the real server and the simulator alike.</summary>
public sealed class UserProfileDifferentialTests
{
    [Test]
    public async Task GetProfile_NewRealm_SameDefaultProfile()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).AssertSame();
    }

    [Test]
    public async Task PutProfile_TheDemoProfile_SameNormalisedAnswerAndReadBack()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var profile = DemoRealm.ReadSource()["userProfile"]!.DeepClone();

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/users/profile", profile)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).AssertSame();
    }

    [Test]
    public async Task PutProfile_AttributeWithRoleAndScopeSets_SameOrderAsTheServer()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var profile = (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).Server.Body!.DeepClone().AsObject();
        profile["attributes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "department",
            ["displayName"] = "Department",
            ["permissions"] = new JsonObject { ["view"] = new JsonArray("user", "admin"), ["edit"] = new JsonArray("admin") },
            ["required"] = new JsonObject { ["roles"] = new JsonArray("user", "admin"), ["scopes"] = new JsonArray("profile", "email", "address") },
            ["selector"] = new JsonObject { ["scopes"] = new JsonArray("profile", "phone", "email") },
            ["validations"] = new JsonObject { ["options"] = new JsonObject { ["options"] = new JsonArray("z", "a", "m") } },
            ["annotations"] = new JsonObject { ["inputType"] = "select" },
        });
        profile["unmanagedAttributePolicy"] = "ADMIN_VIEW";

        // Compared in order: the simulator must answer the sets in the server's order, and keep the options' order.
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/users/profile", profile)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).AssertSame();
    }

    [Test]
    public async Task PutProfile_WithoutEmail_SameRefusal()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var profile = (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).Server.Body!.DeepClone().AsObject();
        var attributes = profile["attributes"]!.AsArray();
        attributes.Remove(attributes.Single(attribute => attribute!["name"]!.GetValue<string>() == "email"));

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/users/profile", profile)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/profile")).AssertSame();
    }
}
