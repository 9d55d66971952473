using System.CommandLine;
using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Schema;

/// <summary>
/// docs/cli-json.md against what the commands print: every command with <c>--output json</c> is run once against the
/// simulator (Admin API mode: publish, a rollout with a refused user, retry, exemption, the record), and each output's
/// property names and types must be those its section of the doc lists, no more and no fewer; every command that
/// offers <c>--output json</c> has a section.
/// </summary>
[NonParallelizable]
public sealed class JsonOutputSchemaTests
{
    private static readonly string Policies = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    /// <summary>Sections whose JSON is not IdpBridge's report but a format of its own, described where the doc says.</summary>
    private static readonly HashSet<string> OwnFormats = ["ledger proof"];

    private readonly Dictionary<string, List<JsonNode?>> outputs = new(StringComparer.Ordinal);
    private CliHarness harness = null!;
    private SimulatedRealm realm = null!;

    [OneTimeSetUp]
    public async Task RunEveryCommand()
    {
        harness = new CliHarness(new SimulatorOptions { MaxRequestLogCount = 100_000 }).UseTemporaryStore();
        var config = harness.AdminApiDemoRealm();
        await JsonAsync("realm plan", "realm", "plan", config);
        await JsonAsync("realm apply", "realm", "apply", config, "--auto-approve");
        realm = harness.Simulator.Realm("externos");
        realm.SetSetting("eventsEnabled", true);
        foreach (var version in new[] { "v1", "v2" })
        {
            await JsonAsync("policy publish", "policy", "publish", Path.Combine(Policies, version, "es.md"), Path.Combine(Policies, version, "en.md"), "--realm", "externos");
        }

        await JsonAsync("policy list", "policy", "list", "--realm", "externos");
        await JsonAsync("policy show", "policy", "show", "--realm", "externos", "--version", "2");

        realm.SeedUsers(30);
        var refused = Refuse("user000003");
        await JsonAsync("rollout start", "rollout", "start", "--yes", "--realm", "externos", "--detach");
        await JsonAsync("rollout cancel", "rollout", "cancel", "--realm", "externos");
        // A 503 halves the cap, so the rollout's inFlight has a last change to show.
        harness.Simulator.Faults.FailNext(1, 503, method: "GET");
        await JsonAsync("rollout resume", "rollout", "resume", "--realm", "externos");
        await JsonAsync("rollout status", "rollout", "status", "--realm", "externos");
        Repair(refused);
        await JsonAsync("rollout retry", "rollout", "retry", "--realm", "externos");
        await JsonAsync("rollout exempt", "rollout", "exempt", "--realm", "externos", "--user", "user000007", "--reason", "monitoring robot");
        await JsonAsync("rollout status", "rollout", "status", "--realm", "externos");
        await JsonAsync("error", "rollout", "cancel", "--realm", "externos");
        await JsonAsync("error", "policy", "show", "--realm", "externos", "--version", "9");

        realm.AcceptTerms(realm.FindUserId("user000001")!, clientId: "portal", ipAddress: "203.0.113.9");
        realm.DeclineTerms(realm.FindUserId("user000002")!, clientId: "portal", ipAddress: "203.0.113.9");
        await JsonAsync("ledger sync", "ledger", "sync", "--realm", "externos");
        await JsonAsync("ledger history", "ledger", "history", "--realm", "externos", "--user", "user000001");
        await JsonAsync("ledger stats", "ledger", "stats", "--realm", "externos", "--version", "2");
        await JsonAsync("ledger verify", "ledger", "verify", "--realm", "externos");
        await JsonAsync("ledger prune", "ledger", "prune", "--realm", "externos");
        await JsonAsync("realm audit", "realm", "audit", "externos");
        await JsonAsync("doctor", "doctor", "--realm", "externos");
        await BridgeRealmAsync();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        harness.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public static IEnumerable<TestCaseData> Sections() =>
        JsonOutputDoc.Read().Keys.Where(name => !OwnFormats.Contains(name)).Select(name => new TestCaseData(name).SetName($"Output_{name.Replace(' ', '_')}_MatchesTheDoc"));

    [TestCaseSource(nameof(Sections))]
    public void Output_OfTheCommand_HasTheDocumentedNamesAndTypes(string section)
    {
        var rows = JsonOutputDoc.Read()[section];
        Assert.That(outputs.TryGetValue(section, out var printed), Is.True, $"the test runs no '{section}': add it to {nameof(RunEveryCommand)}");
        Assert.That(rows, Is.Not.Empty, $"docs/cli-json.md: '{section}' lists no properties");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = printed!.SelectMany(output => JsonOutputDoc.Check(output, rows, seen)).Distinct().ToList();
        // A property of an array's items counts once the array had an item (no run fills every list), and a property of
        // a nullable object once it was not null (a rollout never run has no in-flight cap).
        var neverSeen = rows.Where(row => !row.Type.Optional && !seen.Contains(row.Path) && Reached(seen, JsonOutputDoc.Parent(row.Path)))
            .Select(row => row.Path).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty, $"'{section}' and docs/cli-json.md disagree; it printed:\n{Sample(printed!)}");
            Assert.That(neverSeen, Is.Empty, $"'{section}': documented, never printed (a stale row, or the test's run does not reach it)");
        });
    }

    [Test]
    public void EveryCommandWithJsonOutput_HasASection()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var root = IdpBridgeCommand.Build(new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null, false, configuration));
        var withJson = Leaves(root, "").Where(pair => pair.Command.Options.Any(option => option.Name == "--output" && option.GetCompletions(
            System.CommandLine.Completions.CompletionContext.Empty).Any(item => item.Label == "json"))).Select(pair => pair.Name).ToList();

        var documented = JsonOutputDoc.Read().Keys.Select(JsonOutputDoc.Command).ToHashSet(StringComparer.Ordinal);

        Assert.That(withJson, Is.Not.Empty);
        Assert.That(withJson.Where(name => !documented.Contains(name)), Is.Empty, "commands with --output json that docs/cli-json.md does not describe");
        Assert.That(documented.Where(name => name != "error" && !withJson.Contains(name)), Is.Empty, "docs/cli-json.md describes commands that have no --output json");
    }

    private static IEnumerable<(string Name, Command Command)> Leaves(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var name = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Subcommands.Count == 0)
            {
                yield return (name, sub);
            }

            foreach (var leaf in Leaves(sub, name))
            {
                yield return leaf;
            }
        }
    }

    private static bool Reached(HashSet<string> seen, string parent) =>
        seen.Contains(parent) && (parent.Length == 0 || parent.EndsWith("[]", StringComparison.Ordinal) || seen.Contains(parent + " (object)"));

    private static string Sample(List<JsonNode?> printed)
    {
        var text = string.Join("\n", printed.Select(node => node?.ToJsonString()));
        return text.Length > 1500 ? text[..1500] + "..." : text;
    }

    private async Task JsonAsync(string section, params string[] args)
    {
        var run = await harness.RunAsync([.. args, "--output", "json"]);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(run.Output);
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new AssertionException($"idpbridge {string.Join(' ', args)} --output json printed no JSON ({exception.Message}): {run}");
        }

        Assert.That(run.ExitCode, section == "error" ? Is.EqualTo(1) : Is.Not.EqualTo(1), $"idpbridge {string.Join(' ', args)}: {run}");
        if (!outputs.TryGetValue(section, out var list))
        {
            outputs[section] = list = [];
        }

        list.Add(node);
    }

    /// <summary>A rollout start in a realm that uses the required-action bridge: no rollout, a report of its own.</summary>
    private async Task BridgeRealmAsync()
    {
        using var bridge = new CliHarness().UseTemporaryStore();
        var apply = await bridge.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        var publish = await bridge.RunAsync("policy", "publish", Path.Combine(Policies, "v1", "es.md"), Path.Combine(Policies, "v1", "en.md"), "--realm", "externos");
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        var start = await bridge.RunAsync("rollout", "start", "--yes", "--realm", "externos", "--output", "json");
        Assert.That(start.ExitCode, Is.Zero, start.ToString());
        outputs["rollout start, in a bridge realm"] = [JsonNode.Parse(start.Output)];
    }

    /// <summary>Stores a last name the user profile refuses, as an import leaves it: Keycloak refuses the rollout's write.</summary>
    private JsonObject Refuse(string username)
    {
        var id = realm.FindUserId(username)!;
        var user = realm.GetUser(id)!;
        var broken = user.DeepClone().AsObject();
        broken["lastName"] = "Pérez\n";
        realm.DeleteUser(id);
        realm.AddUser(broken);
        return user;
    }

    private void Repair(JsonObject user)
    {
        realm.DeleteUser(user["id"]!.GetValue<string>());
        realm.AddUser(user);
    }
}
