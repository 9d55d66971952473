using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Ledger;

/// <summary>Wrong input to the record's commands is said, never answered with an empty success.</summary>
public sealed class LedgerInputTests
{
    private CliHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public async Task Start()
    {
        harness = new CliHarness().UseTemporaryStore();
        realm = harness.Simulator.CreateRealm("externos");
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", true);
        realm.SetSetting("internationalizationEnabled", true);
        realm.SetSetting("supportedLocales", new JsonArray("es"));
        realm.SetSetting("defaultLocale", "es");
        var publish = await harness.RunAsync("policy", "publish", Path.Combine(CliHarness.DemoRealm, "policies", "privacy", "v1", "es.md"), "--realm", "externos");
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        realm.AcceptTerms(realm.AddUser("maria.lopez"), clientId: "portal", ipAddress: "203.0.113.9");
        var sync = await harness.RunAsync("ledger", "sync", "--realm", "externos");
        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
    }

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Export_FromAfterTo_IsAUsageError()
    {
        var run = await harness.RunAsync("ledger", "export", "--realm", "externos", "--format", "csv", "--from", "2026-02-01", "--to", "2026-01-01");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.StartWith("--from (2026-02-01T00:00:00.000Z) must be before --to (2026-01-01T00:00:00.000Z): the range is empty."));
            Assert.That(run.Output, Is.Empty);
        });
    }

    [TestCase("Externos", "Did you mean 'externos'? Realm names are case-sensitive.")]
    [TestCase("internos", "Realms with policy versions there: externos.")]
    public async Task ExportAndHistory_RealmTheStoreDoesNotKnow_AreErrors(string name, string hint)
    {
        var export = await harness.RunAsync("ledger", "export", "--realm", name, "--format", "csv");
        var history = await harness.RunAsync("ledger", "history", "--realm", name, "--user", "maria.lopez");

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { export, history })
            {
                Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
                Assert.That(run.Error, Does.StartWith(
                    $"error: The store (SQLite {harness.Settings["IdpBridge:Storage:SqlitePath"]}) knows nothing of realm '{name}': " +
                    "no policy version, never synced.").And.Contain(hint));
                Assert.That(run.Output, Is.Empty);
            }
        });
    }

    [TestCase("ledger", "export", "--realm", "externos", "--format", "csv", "--to")]
    [TestCase("policy", "publish", "--realm", "externos", "--effective")]
    public async Task TimeOptions_TimeWithoutZoneRefusedDateAloneAccepted_AlikeEverywhere(params string[] command)
    {
        var withPolicy = command[0] == "policy"
            ? command.Take(2).Append(Path.Combine(CliHarness.DemoRealm, "policies", "privacy", "v1", "es.md")).Concat(command.Skip(2)).ToArray()
            : command;
        var noZone = await harness.RunAsync([.. withPolicy, "2030-01-31T12:00:00"]);
        var dateAlone = await harness.RunAsync([.. withPolicy, "2030-01-31"]);

        Assert.Multiple(() =>
        {
            Assert.That(noZone.ExitCode, Is.EqualTo(64), noZone.ToString());
            Assert.That(noZone.Error, Does.StartWith($"{command[^1]} must be an ISO-8601 date or time with a zone").And.Contain("not '2030-01-31T12:00:00': it has no time zone."));
            Assert.That(dateAlone.ExitCode, Is.Zero, dateAlone.ToString());
        });
    }

    [Test]
    public async Task History_Json_RecordIdAndVersionAreNumbersAsInTheExport()
    {
        var history = await harness.RunAsync("ledger", "history", "--realm", "externos", "--user", "maria.lopez", "--output", "json");
        var export = await harness.RunAsync("ledger", "export", "--realm", "externos", "--format", "jsonl");

        var fromHistory = JsonNode.Parse(history.Output)!.AsArray().Single()!;
        var fromExport = JsonNode.Parse(export.Output.Split('\n')[1])!;
        Assert.Multiple(() =>
        {
            Assert.That(fromHistory["record_id"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number), history.Output);
            Assert.That(fromExport["record_id"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number), export.Output);
            Assert.That(fromHistory["record_id"]!.GetValue<long>(), Is.EqualTo(fromExport["record_id"]!.GetValue<long>()));
        });
    }

    [Test]
    public async Task Verbose_SaysWhichStoreAndEachRequestNeverASecret()
    {
        var run = await harness.RunAsync("ledger", "sync", "--realm", "externos", "--verbose");

        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(lines[0], Is.EqualTo($"store: SQLite {harness.Settings["IdpBridge:Storage:SqlitePath"]} (IdpBridge__Storage__*)"));
            Assert.That(lines, Has.Some.Match($@"^http: POST {harness.Simulator.Url}/realms/master/protocol/openid-connect/token 200 \d+ ms$"));
            Assert.That(lines, Has.Some.Match($@"^http: GET {harness.Simulator.Url}/admin/realms/externos/events\?\S+ 200 \d+ ms$"));
            Assert.That(run.Output + run.Error, Does.Not.Contain(harness.Simulator.AdminClientSecret).And.Not.Contain("eyJ"), "no secret, no token");
        });
    }
}
