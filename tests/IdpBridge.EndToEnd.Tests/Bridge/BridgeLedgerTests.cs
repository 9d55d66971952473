using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using static IdpBridge.EndToEnd.Tests.Bridge.BridgeTermsTests;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// The acceptance record of bridge mode, from what a person really does in Chromium on the real server: the bridge's
/// events name the version and hash, and <c>idpbridge ledger sync</c> records exactly those (no inference from time).
/// </summary>
[NonParallelizable]
public sealed class BridgeLedgerTests
{
    [Test]
    public async Task SyncThenHistory_AcceptDeclineAcceptAndNotice_RecordsEachWithTheExactVersionAndHash()
    {
        await using var stack = await BridgeStack.StartAsync();
        var email = Email("ana");
        var id = await stack.CreatePersonAsync(email);
        var v1 = await stack.PublishAsync(1);
        var met = new List<string>();
        met.AddRange(await SignInAndAnswerAsync(stack, email, "#kc-accept"));
        var v2 = await stack.PublishAsync(2);
        met.AddRange(await SignInAndAnswerAsync(stack, email, "#kc-decline"));
        met.AddRange(await SignInAndAnswerAsync(stack, email, "#kc-accept"));
        await stack.PublishAsync(3);
        var v4 = await stack.PublishAsync(4);
        met.AddRange(await SignInAndAnswerAsync(stack, email, "#kc-continue"));
        var events = (await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", id)).Concat(await stack.EventsAsync("CUSTOM_REQUIRED_ACTION_ERROR", id))
            .OrderBy(e => e["time"]!.GetValue<long>()).ToList();
        TestContext.Out.WriteLine("Events as the real server returns them:\n" + string.Join("\n", events.Select(e => e.ToJsonString())));

        var folder = Directory.CreateTempSubdirectory("idpbridge-e2e-bridge-ledger-").FullName;
        try
        {
            var sync = await RunAsync(stack, folder, "ledger", "sync", "--realm", stack.Name);
            var history = await RunAsync(stack, folder, "ledger", "history", "--realm", stack.Name, "--user", id);
            var file = Path.Combine(folder, "export.json");
            await RunAsync(stack, folder, "ledger", "export", "--realm", stack.Name, "--format", "jsonl", "--file", file);
            var exported = (await File.ReadAllLinesAsync(file)).Skip(1).Where(line => line.Length > 0).Select(line => JsonNode.Parse(line)!).ToList();

            var expected = new[]
            {
                (v1, "accepted", events[0]), (v2, "declined", events[1]), (v2, "accepted", events[2]), (v4, "acknowledged", events[3]),
            };
            Assert.Multiple(() =>
            {
                Assert.That(met, Is.EqualTo(new[] { "terms:accept", "app", "terms:accept", "app", "terms:accept", "app", "terms:notice", "app" }),
                    "v1 accepted; v2 declined (back at the app with access_denied), then accepted; the v4 notice continued");
                Assert.That(events.Select(e => e["type"]!.GetValue<string>()), Is.EqualTo(new[]
                {
                    "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION",
                }));
                Assert.That(sync.Output, Does.StartWith("Read 4 events: 4 new records, 0 already recorded; 0 acceptances learned from timestamps."));
                Assert.That(history.Output, Is.EqualTo(string.Concat(expected.Select(row =>
                    $"{Time(row.Item3)}  {row.Item2,-8}  privacy v{row.Item1.Version} ({row.Item1.Sha256[..12]})  {email}  client demo-app  ip 127.0.0.1  via event"
                    + "  shown in en\n"))),
                    "a realm with one language shows every page in English, and the bridge says so");
                Assert.That(exported.Select(record => (record["version"]?.GetValue<int>(), record["content_hash"]?.GetValue<string>(), record["decision"]?.GetValue<string>())),
                    Is.EqualTo(expected.Select(row => ((int?)row.Item1.Version, (string?)row.Item1.Sha256, (string?)row.Item2))),
                    "the export carries the full hash the bridge's event named");
                Assert.That(exported.Select(record => record["locale_shown"]?.GetValue<string>()), Is.All.EqualTo("en"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Time(JsonObject keycloakEvent) =>
        DateTimeOffset.FromUnixTimeMilliseconds(keycloakEvent["time"]!.GetValue<long>()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>idpbridge</c> on a store of its own in <paramref name="folder"/>; the exit code must be 0.</summary>
    private static async Task<CliRun> RunAsync(BridgeStack stack, string folder, params string[] args)
    {
        var cli = stack.Server.Cli();
        cli.Environment["IdpBridge__Storage__SqlitePath"] = Path.Combine(folder, "idpbridge.db");
        var run = await cli.RunAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"idpbridge {string.Join(' ', args)}: {run}");
        return run;
    }
}
