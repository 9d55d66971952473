using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;

namespace IdpBridge.Keycloak.Tests;

/// <summary>Users to arrange in the simulator, in the JSON shape Keycloak stores.</summary>
internal static class TestUsers
{
    public static JsonObject New(
        string username,
        IReadOnlyList<string>? requiredActions = null,
        IReadOnlyDictionary<string, string[]>? attributes = null)
    {
        var user = new JsonObject
        {
            ["username"] = username,
            ["email"] = $"{username}@example.org",
            ["firstName"] = char.ToUpperInvariant(username[0]) + username[1..],
            ["lastName"] = "Pérez",
            ["enabled"] = true,
            ["emailVerified"] = true,
            ["requiredActions"] = new JsonArray((requiredActions ?? []).Select(action => (JsonNode)JsonValue.Create(action)!).ToArray()),
        };
        if (attributes is not null)
        {
            user["attributes"] = new JsonObject(attributes.Select(pair => KeyValuePair.Create(
                pair.Key, (JsonNode?)new JsonArray(pair.Value.Select(value => (JsonNode)JsonValue.Create(value)!).ToArray()))));
        }

        return user;
    }

    public static IReadOnlyList<string> RequiredActions(SimulatedRealm realm, string userId) =>
        realm.GetUser(userId)!["requiredActions"]?.AsArray().Select(node => node!.GetValue<string>()).ToList() ?? [];
}
