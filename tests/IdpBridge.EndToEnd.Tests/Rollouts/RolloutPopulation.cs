using System.Globalization;
using System.Text.Json.Nodes;

namespace IdpBridge.EndToEnd.Tests.Rollouts;

/// <summary>What a rollout must do with one seeded user.</summary>
internal enum Expected
{
    /// <summary>The rollout adds the action.</summary>
    Marked,

    /// <summary>The user carried it already: nothing written.</summary>
    AlreadyPending,

    /// <summary>The user accepted after the rollout's start (a future acceptance time): nothing written.</summary>
    AlreadyAccepted,

    /// <summary>Keycloak refuses the user's stored data: reported with these fields, in Keycloak's order.</summary>
    Refused,
}

/// <summary>One seeded user and what the rollout must do with them.</summary>
internal sealed record SeededUser(string Username, JsonObject Representation, Expected Expected, IReadOnlyList<(string Field, string Error)> Refusals);

/// <summary>
/// A realm's worth of users as real realms hold them, for partial import: other pending actions (VERIFY_EMAIL,
/// UPDATE_PASSWORD, TERMS_AND_CONDITIONS already), custom attributes, earlier acceptances, and about one in eleven with
/// stored data Keycloak's user profile refuses (a newline in a last name, a quote in a first name, an invalid email),
/// as partial imports, LDAP syncs and older versions leave them. Deterministic: the same count gives the same users.
/// </summary>
internal static class RolloutPopulation
{
    private static readonly string[] FirstNames = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gloria", "Hugo", "Irene", "José", "Karen", "Luis"];
    private static readonly string[] LastNames = ["García", "Martínez", "López", "O'Brien", "Pérez", "Gómez", "Martín-Ruiz", "Jiménez", "Núñez", "Díaz"];
    private static readonly string[] Departments = ["sales", "support", "engineering", "finance"];

    /// <summary><paramref name="count"/> users of realm <paramref name="realm"/> (given its default roles, as <c>POST /users</c> would).</summary>
    public static List<SeededUser> Create(string realm, int count, DateTimeOffset now)
    {
        var users = new List<SeededUser>(count);
        var seconds = now.ToUnixTimeSeconds();
        for (var i = 1; i <= count; i++)
        {
            var username = $"user{i.ToString("D5", CultureInfo.InvariantCulture)}@example.org";
            var actions = new List<string>();
            if (i % 10 == 0)
            {
                actions.Add("VERIFY_EMAIL");
            }

            if (i % 25 == 0)
            {
                actions.Add("UPDATE_PASSWORD");
            }

            var pending = i % 40 == 0;
            if (pending)
            {
                actions.Add("TERMS_AND_CONDITIONS");
            }

            var attributes = new JsonObject();
            if (i % 3 == 0)
            {
                attributes["department"] = new JsonArray(Departments[i % Departments.Length]);
            }

            if (i % 7 == 0)
            {
                // Accepted an earlier version: asked again.
                attributes["terms_and_conditions"] = new JsonArray((seconds - 86_400 - i).ToString(CultureInfo.InvariantCulture));
            }

            var accepted = i % 97 == 0 && !pending;
            if (accepted)
            {
                // Accepted after the rollout's start (a time in the future here): not asked again.
                attributes["terms_and_conditions"] = new JsonArray((seconds + 7 * 86_400).ToString(CultureInfo.InvariantCulture));
            }

            var email = username;
            var firstName = FirstNames[i % FirstNames.Length];
            var lastName = LastNames[i / FirstNames.Length % LastNames.Length];
            var refusals = new List<(string Field, string Error)>();
            if (!pending && !accepted)
            {
                if (i % 53 == 11)
                {
                    email = $"user{i}@@example.org";
                    refusals.Add(("email", "error-invalid-email"));
                }

                if (i % 20 == 7)
                {
                    lastName += "\nde la Cruz";
                    refusals.Add(("lastName", "error-person-name-invalid-character"));
                }

                if (i % 37 == 5)
                {
                    firstName += " \"la jefa\"";
                    refusals.Add(("firstName", "error-person-name-invalid-character"));
                }
            }

            // The demo realm takes the email as the username (partial import too): an invalid email is the username.
            username = email;
            var representation = new JsonObject
            {
                ["username"] = username,
                ["email"] = email,
                ["firstName"] = firstName,
                ["lastName"] = lastName,
                ["enabled"] = true,
                ["emailVerified"] = i % 10 != 0,
                ["requiredActions"] = new JsonArray([.. actions.Select(action => (JsonNode?)action)]),
                ["attributes"] = attributes,
                ["realmRoles"] = new JsonArray($"default-roles-{realm}"),
            };
            var expected = pending ? Expected.AlreadyPending : accepted ? Expected.AlreadyAccepted : refusals.Count > 0 ? Expected.Refused : Expected.Marked;
            users.Add(new SeededUser(username, representation, expected, refusals));
        }

        return users;
    }
}
