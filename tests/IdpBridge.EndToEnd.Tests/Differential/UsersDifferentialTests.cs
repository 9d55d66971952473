using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The user requests IdpBridge sends, answered by the real server and the simulator alike.</summary>
public sealed class UsersDifferentialTests
{
    [Test]
    public async Task ListAndCount_ThreeUsers_SameOrderPagingAndCount()
    {
        await using var both = await BothKeycloaks.StartAsync();
        foreach (var name in new[] { "carla", "ana", "bruno" })
        {
            var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/users", new JsonObject
            {
                ["username"] = name,
                ["email"] = $"{name}@example.org",
                ["firstName"] = name,
                ["lastName"] = "Pérez",
                ["enabled"] = true,
            });
            created.AssertSame();
        }

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users?first=0&max=2")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users?first=2&max=2&briefRepresentation=true")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/users/count")).AssertSame();
    }
}
