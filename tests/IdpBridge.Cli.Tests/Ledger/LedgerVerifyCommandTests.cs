using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing.Simulator;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Ledger;

/// <summary><c>ledger verify</c> on a SQLite store: what it prints and its exit codes.</summary>
public sealed class LedgerVerifyCommandTests
{
    private CliHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public void Start() => realm = (harness = new CliHarness().UseTemporaryStore()).CreateTermsRealm("externos");

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Verify_UntouchedRecord_ExitsZeroAndPrintsTheHead()
    {
        await RecordTwoDecisionsAsync();

        var run = await harness.RunAsync("ledger", "verify", "--realm", "externos");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.StartWith("Intact: realm externos, 2 records chained, 0 policy versions."));
        Assert.That(run.Output, Does.Match(@"Head: [0-9a-f]{64} \(record 2\)"));
    }

    [Test]
    public async Task Verify_DecisionRewrittenWithTheGuardDropped_ExitsTwoNamingTheRecord()
    {
        await RecordTwoDecisionsAsync();
        await using (var file = new SqliteConnection($"Data Source={Path.Combine(harness.StoreFolder!, "idpbridge.db")};Pooling=False"))
        {
            await file.OpenAsync();
            await using var tamper = file.CreateCommand();
            tamper.CommandText = "DROP TRIGGER acceptances_immutable_update; UPDATE acceptances SET decision = 'accepted' WHERE decision = 'declined'";
            await tamper.ExecuteNonQueryAsync();
        }

        var text = await harness.RunAsync("ledger", "verify", "--realm", "externos");
        var json = await harness.RunAsync("ledger", "verify", "--realm", "externos", "--output", "json");

        Assert.That(text.ExitCode, Is.EqualTo(2), text.ToString());
        Assert.That(text.Output, Does.StartWith("TAMPERED record 1: its fields changed after it was recorded"));
        Assert.That(text.Output, Does.Contain("1 problems: realm externos"));
        Assert.That(json.ExitCode, Is.EqualTo(2), json.ToString());
        var result = JsonNode.Parse(json.Output)!;
        Assert.That(result["intact"]!.GetValue<bool>(), Is.False);
        Assert.That(result["tampering"]!.AsArray().Select(item => (item!["kind"]!.GetValue<string>(), item["id"]!.GetValue<long>())), Is.EqualTo(new[] { ("record", 1L) }));
    }

    [Test]
    public async Task Verify_StoreNotADatabase_ExitsOneWithTheReason()
    {
        Directory.CreateDirectory(harness.StoreFolder!);
        await File.WriteAllTextAsync(Path.Combine(harness.StoreFolder!, "idpbridge.db"), "not a database, but a text file of some length to be read");

        var run = await harness.RunAsync("ledger", "verify", "--realm", "externos");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("idpbridge.db"));
    }

    private async Task RecordTwoDecisionsAsync()
    {
        var userId = realm.AddUser("maria.lopez");
        realm.DeclineTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        await Task.Delay(5);
        realm.AcceptTerms(userId, clientId: "portal", ipAddress: "203.0.113.9");
        var sync = await harness.RunAsync("ledger", "sync", "--realm", "externos");
        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
    }
}
