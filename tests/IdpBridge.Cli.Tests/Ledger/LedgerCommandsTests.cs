using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing.Simulator;
using Microsoft.VisualBasic.FileIO;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Ledger;

public sealed class LedgerCommandsTests
{
    private CliHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public void Start()
    {
        harness = new CliHarness().UseTemporaryStore();
        realm = harness.Simulator.CreateRealm("externos");
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);
        realm.SetSetting("eventsEnabled", true);
    }

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task SyncThenHistory_DeclineThenAccept_ShowsBothInOrder()
    {
        var userId = realm.AddUser("maria.lopez");
        realm.DeclineTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        await Task.Delay(5);
        realm.AcceptTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");

        var sync = await harness.RunAsync("ledger", "sync", "--realm", "externos");
        var again = await harness.RunAsync("ledger", "sync", "--realm", "externos", "--output", "json");
        var history = await harness.RunAsync("ledger", "history", "--realm", "externos", "--user", "maria.lopez");

        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        Assert.That(sync.Output, Does.StartWith("Read 2 events: 2 new records, 0 already recorded; 0 acceptances learned from timestamps. Events are on"));
        Assert.That(JsonNode.Parse(again.Output)!["recorded"]!.GetValue<int>(), Is.Zero, again.ToString());
        var lines = history.Output.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2), history.ToString());
        Assert.That(lines[0], Does.Contain("declined").And.Contain("maria.lopez").And.Contain("client portal").And.Contain("ip 203.0.113.9").And.Contain("via event"));
        Assert.That(lines[1], Does.Contain("accepted"));
    }

    [Test]
    public async Task Export_CsvToStandardOutput_AwkwardNamesRoundTripWithByteOrderMark()
    {
        string[] names = ["pérez, juan", "o'brien \"el jefe\"", "línea uno\nlínea dos", "ñandú"];
        // The record's username is read from Keycloak (events carry the login as typed), so each awkward name is a user's.
        realm.AddEventsUnchecked(names.Select((name, i) => new JsonObject
        {
            ["type"] = "CUSTOM_REQUIRED_ACTION",
            ["userId"] = realm.AddUser(name),
            ["clientId"] = "account",
            ["ipAddress"] = "192.0.2.1",
            ["time"] = TimeProvider.System.GetUtcNow().AddMinutes(i - 10).ToUnixTimeMilliseconds(),
            ["details"] = new JsonObject { ["custom_required_action"] = SimulatedRealm.TermsAction, ["username"] = name },
        }));
        await harness.RunAsync("ledger", "sync", "--realm", "externos");

        var export = await harness.RunAsync("ledger", "export", "--realm", "externos", "--format", "csv");

        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        Assert.That(export.Output, Does.StartWith("\uFEFFrecord_id,realm,user_id,username,"));
        Assert.That(export.Error, Does.Contain("Exported 4 records"));
        using var parser = new TextFieldParser(new StringReader(export.Output[1..]))
        {
            TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        Assert.That(rows.Skip(1).Select(row => row[3]), Is.EqualTo(names));
        Assert.That(rows.Skip(1).Select(row => row[8]), Has.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
    }

    [Test]
    public async Task Export_JsonlToAFileWithinATimeWindow_WritesOnlyThoseRecords()
    {
        var userId = realm.AddUser("ana");
        var now = TimeProvider.System.GetUtcNow();
        realm.AddEventsUnchecked(new[] { -3, -2, -1 }.Select(days => new JsonObject
        {
            ["type"] = "CUSTOM_REQUIRED_ACTION",
            ["userId"] = userId,
            ["time"] = now.AddDays(days).ToUnixTimeMilliseconds(),
            ["details"] = new JsonObject { ["custom_required_action"] = SimulatedRealm.TermsAction, ["username"] = "ana" },
        }));
        await harness.RunAsync("ledger", "sync", "--realm", "externos");
        var file = Path.Combine(harness.StoreFolder!, "out.jsonl");

        var export = await harness.RunAsync("ledger", "export", "--realm", "externos", "--format", "jsonl", "--file", file,
            "--from", now.AddDays(-2).AddHours(-1).ToString("O"), "--to", now.AddDays(-1).AddHours(-1).ToString("O"));

        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var lines = File.ReadAllLines(file, Encoding.UTF8);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("header", out _), Is.True);
        Assert.That(JsonDocument.Parse(lines[1]).RootElement.GetProperty("username").GetString(), Is.EqualTo("ana"));
    }

    [Test]
    public async Task Export_BadFromTime_IsAUsageError()
    {
        var run = await harness.RunAsync("ledger", "export", "--realm", "externos", "--format", "csv", "--from", "last tuesday");

        Assert.That(run.ExitCode, Is.EqualTo(64));
        Assert.That(run.Error, Does.Contain("--from must be an ISO-8601 date or time"));
    }

    [Test]
    public async Task Stats_VersionWithAcceptances_CountsAndShares()
    {
        realm.SetSetting("internationalizationEnabled", true);
        realm.SetSetting("supportedLocales", new JsonArray("es"));
        realm.SetSetting("defaultLocale", "es");
        var publish = await harness.RunAsync("policy", "publish",
            Path.Combine(CliHarness.DemoRealm, "policies", "privacy", "v1", "es.md"), "--realm", "externos");
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        realm.SeedUsers(4);
        var ids = realm.UserIds;
        realm.AcceptTerms(ids[0]);
        realm.AcceptTerms(ids[1]);
        realm.DeclineTerms(ids[2]);
        await harness.RunAsync("ledger", "sync", "--realm", "externos");

        var stats = await harness.RunAsync("ledger", "stats", "--realm", "externos", "--output", "json");

        Assert.That(stats.ExitCode, Is.Zero, stats.ToString());
        var report = JsonNode.Parse(stats.Output)!;
        Assert.That(report["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["acceptedUsers"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(report["declinedUsers"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["enabledUsers"]!.GetValue<long>(), Is.EqualTo(4));
        Assert.That(report["share"]!.GetValue<double>(), Is.EqualTo(0.5));
        Assert.That(report["pendingUsers"]!.GetValue<long>(), Is.EqualTo(1), "the user who declined still carries the action");
    }

    [Test]
    public async Task Prune_RetentionSet_DeletesTheOlderRecordAndTheRecordStillVerifies()
    {
        // The store migrates with the setting (the database then holds every prune to 30 days) and prunes with it.
        harness.Settings["IdpBridge:Ledger:RetentionDays"] = "30";
        var now = TimeProvider.System.GetUtcNow();
        realm.AddEventsUnchecked(new[] { ("ana", 40), ("luis", 2) }.Select(user => new JsonObject
        {
            ["type"] = "CUSTOM_REQUIRED_ACTION",
            ["userId"] = realm.AddUser(user.Item1),
            ["clientId"] = "account",
            ["ipAddress"] = "192.0.2.1",
            ["time"] = now.AddDays(-user.Item2).ToUnixTimeMilliseconds(),
            ["details"] = new JsonObject { ["custom_required_action"] = SimulatedRealm.TermsAction, ["username"] = user.Item1 },
        }));
        var sync = await harness.RunAsync("ledger", "sync", "--realm", "externos");

        var prune = await harness.RunAsync("ledger", "prune", "--realm", "externos", "--output", "json");
        var verify = await harness.RunAsync("ledger", "verify", "--realm", "externos");

        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        Assert.That(prune.ExitCode, Is.Zero, prune.ToString());
        Assert.That(JsonNode.Parse(prune.Output)!["pruned"]!.GetValue<long>(), Is.EqualTo(1), prune.ToString());
        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        Assert.That(verify.Output, Does.StartWith("Intact: realm externos, 1 records chained"));
    }

    [Test]
    public async Task Prune_RetentionOff_SaysSoAndSucceeds()
    {
        var run = await harness.RunAsync("ledger", "prune", "--realm", "externos");
        var json = await harness.RunAsync("ledger", "prune", "--realm", "externos", "--output", "json");

        // Nothing to prune is not a failure: a scheduled prune with retention off must not fail its job.
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output.Trim(), Is.EqualTo("Retention is off (IdpBridge__Ledger__RetentionDays = 0): records are kept forever and nothing was pruned."));
        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        Assert.That(JsonNode.Parse(json.Output)!["pruned"]!.GetValue<long>(), Is.Zero);
    }
}
