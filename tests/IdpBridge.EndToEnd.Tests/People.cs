using System.Text.Json.Nodes;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>People the tests create through Keycloak's admin API (<c>POST /users</c>).</summary>
internal static class People
{
    /// <summary>
    /// A person who can sign in with a password: username and email the same, email verified, first and last name (what
    /// the demo realm's profile asks for), and <paramref name="requiredActions"/> (Keycloak adds the realm's default ones).
    /// </summary>
    public static JsonObject Representation(string email, string firstName, string lastName, string password, params string[] requiredActions) => new()
    {
        ["username"] = email,
        ["email"] = email,
        ["firstName"] = firstName,
        ["lastName"] = lastName,
        ["enabled"] = true,
        ["emailVerified"] = true,
        ["credentials"] = new JsonArray(new JsonObject { ["type"] = "password", ["value"] = password, ["temporary"] = false }),
        ["requiredActions"] = new JsonArray(requiredActions.Select(action => (JsonNode?)JsonValue.Create(action)).ToArray()),
    };
}
