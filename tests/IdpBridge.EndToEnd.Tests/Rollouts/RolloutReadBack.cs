using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Rollouts;

/// <summary>
/// What a finished rollout must have left on the real server, checked user by user against the users as they were
/// read back before it: the accepted ones carry the action with every other action, attribute, name and email kept;
/// the ones who carried it or accepted since the start are untouched; the refused ones are untouched and reported
/// with Keycloak's field and reason.
/// </summary>
internal static class RolloutReadBack
{
    private const string Terms = "TERMS_AND_CONDITIONS";

    /// <summary>Asserts every seeded user's state in <paramref name="after"/>, and the refused ones in <paramref name="failures"/> (the JSON output's list).</summary>
    public static void AssertEveryUser(RolloutRealm realm, IReadOnlyDictionary<string, JsonObject> after, JsonArray failures)
    {
        var reported = failures.ToDictionary(failure => failure!["userId"]!.GetValue<string>(), failure => failure!.AsObject(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var seeded in realm.Seeded)
        {
            var before = realm.Before[seeded.Username];
            var now = after[seeded.Username];
            var id = now["id"]!.GetValue<string>();
            var wanted = Actions(before).ToHashSet(StringComparer.Ordinal);
            if (seeded.Expected == Expected.Marked)
            {
                wanted.Add(Terms);
            }

            if (!Actions(now).ToHashSet(StringComparer.Ordinal).SetEquals(wanted))
            {
                problems.Add($"{seeded.Username} ({seeded.Expected}): required actions [{string.Join(", ", Actions(now))}], expected [{string.Join(", ", wanted)}]");
            }

            foreach (var field in new[] { "firstName", "lastName", "email", "attributes", "enabled", "emailVerified" })
            {
                if (!JsonNode.DeepEquals(before[field], now[field]))
                {
                    problems.Add($"{seeded.Username}: {field} changed from {before[field]?.ToJsonString()} to {now[field]?.ToJsonString()}");
                }
            }

            var failure = reported.GetValueOrDefault(id);
            if (seeded.Expected == Expected.Refused)
            {
                var errors = failure?["errors"]?.AsArray().Select(error => (error!["field"]!.GetValue<string>(), error["errorMessage"]!.GetValue<string>())).ToList();
                if (errors is null || !errors.SequenceEqual(seeded.Refusals))
                {
                    problems.Add($"{seeded.Username}: reported as {failure?.ToJsonString() ?? "nothing"}, expected the refusals {string.Join(", ", seeded.Refusals)}");
                }
                else if (failure!["username"]?.GetValue<string>() != seeded.Username
                    || failure["reason"]?.GetValue<string>() is not { } reason
                    || !reason.StartsWith("400: ", StringComparison.Ordinal))
                {
                    problems.Add($"{seeded.Username}: reported without its username or reason: {failure.ToJsonString()}");
                }
            }
            else if (failure is not null)
            {
                problems.Add($"{seeded.Username} ({seeded.Expected}) reported as failed: {failure.ToJsonString()}");
            }
        }

        Assert.That(problems, Is.Empty, $"{problems.Count} users are not as the rollout must leave them:\n  {string.Join("\n  ", problems.Take(40))}");
        Assert.That(reported.Keys, Is.EquivalentTo(realm.Seeded.Where(user => user.Expected == Expected.Refused).Select(user => after[user.Username]["id"]!.GetValue<string>())));
    }

    /// <summary>Asserts the counts of the rollout's JSON output against what the population expects.</summary>
    public static void AssertCounts(RolloutRealm realm, JsonNode status, long remarked = 0)
    {
        int Count(Expected expected) => realm.Seeded.Count(user => user.Expected == expected);
        var counts = status["counts"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)status["status"], Is.EqualTo("completed"));
            Assert.That((long?)counts["marked"], Is.EqualTo(Count(Expected.Marked)));
            Assert.That((long?)counts["alreadyPending"], Is.EqualTo(Count(Expected.AlreadyPending)));
            Assert.That((long?)counts["alreadyAccepted"], Is.EqualTo(Count(Expected.AlreadyAccepted)));
            Assert.That((long?)counts["failed"], Is.EqualTo(Count(Expected.Refused)));
            Assert.That((long?)counts["skipped"], Is.Zero);
            Assert.That((long?)counts["remarked"], Is.EqualTo(remarked));
            Assert.That((long?)counts["scanned"], Is.EqualTo(realm.Seeded.Count));
        });
    }

    public static bool CarriesTerms(JsonObject user) => Actions(user).Contains(Terms);

    public static IReadOnlyList<string> Actions(JsonObject user) =>
        user["requiredActions"]?.AsArray().Select(action => action!.GetValue<string>()).ToList() ?? [];
}
