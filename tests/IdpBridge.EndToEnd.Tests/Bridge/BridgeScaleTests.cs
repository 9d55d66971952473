using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// What a new version costs in bridge mode, counted outside IdpBridge: the real <c>idpbridge policy publish</c> and
/// <c>rollout start</c> through a <see cref="RecordingProxy"/> in front of the real server, and the realm's own admin
/// events, for a realm of 10 users and one of 10,000 (bulk-imported).
/// </summary>
[NonParallelizable]
public sealed partial class BridgeScaleTests
{
    private const int ImportChunk = 1_000;

    [Test]
    public async Task PublishV2AndRolloutStart_TenThousandUsers_NoUserWrittenAndTheSameRequestsAsForTenUsers()
    {
        var small = await RunAsync(10);
        var large = await RunAsync(10_000);
        TestContext.Progress.WriteLine(
            $"Bridge publish of v2 + rollout start: 10 users {small.Requests.Count} requests ({small.Took.TotalSeconds:F1} s); "
            + $"10,000 users {large.Requests.Count} requests ({large.Took.TotalSeconds:F1} s); import of 10,000 users {large.ImportTime.TotalSeconds:F1} s.");

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { small, large })
            {
                Assert.That(run.PublishExit, Is.Zero, run.Users + " users: policy publish");
                Assert.That(run.StartExit, Is.Zero, run.Users + " users: rollout start");
                Assert.That((string?)run.Start["mode"], Is.EqualTo("bridge"));
                Assert.That((int?)run.Start["usersWritten"], Is.Zero);
                Assert.That(run.Proxied.Where(request => request.Method != "GET" && UserPath().IsMatch(request.Path)), Is.Empty,
                    run.Users + " users: no request other than GET under /users");
                Assert.That(run.Requests, Has.Some.Matches<string>(request => request.StartsWith("PUT /admin/realms/{realm} ", StringComparison.Ordinal)),
                    "the version in force is written to the realm");
                Assert.That(run.AdminEvents.Where(adminEvent => adminEvent.StartsWith("USER ", StringComparison.Ordinal)), Is.Empty,
                    run.Users + " users: the server recorded no write to any user");
                Assert.That((string?)run.Attributes["idpbridge.terms.version"], Is.EqualTo("2"));
            }

            Assert.That(large.Requests, Is.EqualTo(small.Requests), "the same requests, in the same order, whatever the number of users");
            // Admin events carry millisecond times with no tie-breaker: compared as a multiset, not in order.
            Assert.That(large.AdminEvents, Is.EquivalentTo(small.AdminEvents), "the same writes, as the server recorded them");
            Assert.That(large.AdminEvents, Is.Not.Empty, "admin events are recorded (the realm write is one)");
            Assert.That(large.Counted, Is.EqualTo(10_000), "every imported user is there");
        });
    }

    /// <summary>A bridge realm with <paramref name="users"/> users and v1 in force; then v2 published and a rollout started, through the proxy.</summary>
    private static async Task<Outcome> RunAsync(int users)
    {
        await using var stack = await BridgeStack.StartAsync();
        var realm = $"realms/{Uri.EscapeDataString(stack.Name)}";
        var import = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(1, users).Chunk(ImportChunk))
        {
            var imported = await stack.Admin.ImportUsersAsync(stack.Name, new JsonArray([.. chunk.Select(i => (JsonNode?)Person(stack.Name, i))]));
            Assert.That(imported.Body?["added"]?.GetValue<int>(), Is.EqualTo(chunk.Length), imported.Text);
        }

        var importTime = import.Elapsed;
        await stack.PublishAsync(1);

        // From here the server records every admin write (what the import did came before).
        var events = (await stack.Admin.GetAsync($"{realm}/events/config"))!.AsObject();
        events["adminEventsEnabled"] = true;
        events["adminEventsDetailsEnabled"] = false;
        await stack.Admin.SendAsync(HttpMethod.Put, $"{realm}/events/config", events);
        var since = TimeProvider.System.GetUtcNow();

        await using var proxy = await RecordingProxy.StartAsync(stack.Server.Server.BaseUrl);
        var cli = stack.Cli(proxy.Url);
        var clock = Stopwatch.StartNew();
        var publish = await cli.RunAsync("policy", "publish", Path.Combine(BridgePolicyFiles.Demo, "v2", "en.md"), "--realm", stack.Name);
        var start = await cli.RunAsync("rollout", "start", "--realm", stack.Name, "--output", "json");
        var took = clock.Elapsed;
        TestContext.Progress.WriteLine(
            $"{users:N0} users: imported in {importTime.TotalSeconds:F1} s; " +
            $"publish + rollout start {took.TotalSeconds:F1} s, {proxy.Requests.Count} requests.");

        var adminEvents = (await stack.Admin.GetAsync($"{realm}/admin-events?max=1000"))!.AsArray()
            .Where(e => e!["time"]!.GetValue<long>() >= since.ToUnixTimeMilliseconds())
            .OrderBy(e => e!["time"]!.GetValue<long>())
            .Select(e => $"{e!["resourceType"]} {e["operationType"]} {Template((string?)e["resourcePath"] ?? "", stack.Name)}")
            .ToList();
        return new Outcome(
            users,
            [.. proxy.Requests],
            proxy.Requests.Select(request => $"{request.Method} {Template(request.PathAndQuery, stack.Name)} {request.Status}").ToList(),
            adminEvents,
            publish.ExitCode,
            start.ExitCode,
            start.ExitCode == 0 ? JsonNode.Parse(start.Output)!.AsObject() : [],
            (await stack.Admin.GetAsync(realm))!["attributes"]!.AsObject(),
            (await stack.Admin.GetAsync($"{realm}/users/count"))!.GetValue<int>(),
            importTime,
            took);
    }

    /// <summary>A person as a bulk import brings them: name and email, default roles, no credential (nobody signs in here).</summary>
    private static JsonObject Person(string realm, int i)
    {
        var number = i.ToString("D5", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["username"] = $"user{number}@example.org",
            ["email"] = $"user{number}@example.org",
            ["firstName"] = "Persona",
            ["lastName"] = $"Número {number}",
            ["enabled"] = true,
            ["emailVerified"] = true,
            ["realmRoles"] = new JsonArray(JsonValue.Create($"default-roles-{realm}")),
        };
    }

    /// <summary>A path with the realm's name and every id replaced, so that two realms' requests compare.</summary>
    private static string Template(string path, string realm) =>
        Id().Replace(path.Replace(Uri.EscapeDataString(realm), "{realm}", StringComparison.Ordinal), "{id}");

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Id();

    [GeneratedRegex("/users(/|$)")]
    private static partial Regex UserPath();

    private sealed record Outcome(
        int Users,
        List<ProxiedRequest> Proxied,
        List<string> Requests,
        List<string> AdminEvents,
        int PublishExit,
        int StartExit,
        JsonObject Start,
        JsonObject Attributes,
        int Counted,
        TimeSpan ImportTime,
        TimeSpan Took);
}
