using System.Globalization;
using System.Text.Json.Nodes;

namespace Tuned;

/// <summary>
/// The benchmark's users, imported through partial import in chunks: valid names and emails (so Keycloak accepts every
/// write), the realm's default roles, one in ten with VERIFY_EMAIL and one in twenty-five with UPDATE_PASSWORD pending,
/// one in three with an attribute. Nobody carries TERMS_AND_CONDITIONS: every user is marked by a rollout.
/// </summary>
internal static class Population
{
    private const int Chunk = 500;
    private static readonly string[] FirstNames = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gloria", "Hugo", "Irene", "José"];
    private static readonly string[] LastNames = ["García", "Martínez", "López", "Pérez", "Gómez", "Jiménez", "Núñez", "Díaz"];

    public static async Task ImportAsync(AdminSession session, string realm, int count)
    {
        for (var start = 1; start <= count; start += Chunk)
        {
            var users = new JsonArray();
            for (var i = start; i < start + Chunk && i <= count; i++)
            {
                users.Add(User(realm, i));
            }

            var body = new JsonObject { ["ifResourceExists"] = "FAIL", ["users"] = users };
            using var response = await session.SendAsync(HttpMethod.Post, $"{Uri.EscapeDataString(realm)}/partialImport", JsonContent(body));
            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (result["added"]?.GetValue<int>() != users.Count)
            {
                throw new InvalidOperationException($"partial import added {result["added"]} of {users.Count} users");
            }
        }
    }

    private static JsonObject User(string realm, int i)
    {
        var username = $"user{i.ToString("D7", CultureInfo.InvariantCulture)}@bench.example";
        var actions = new JsonArray();
        if (i % 10 == 0)
        {
            actions.Add("VERIFY_EMAIL");
        }

        if (i % 25 == 0)
        {
            actions.Add("UPDATE_PASSWORD");
        }

        var user = new JsonObject
        {
            ["username"] = username,
            ["email"] = username,
            ["emailVerified"] = i % 10 != 0,
            ["firstName"] = FirstNames[i % FirstNames.Length],
            ["lastName"] = LastNames[i % LastNames.Length],
            ["enabled"] = true,
            ["requiredActions"] = actions,
            ["realmRoles"] = new JsonArray($"default-roles-{realm}"),
        };
        if (i % 3 == 0)
        {
            user["attributes"] = new JsonObject { ["department"] = new JsonArray("sales") };
        }

        return user;
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
