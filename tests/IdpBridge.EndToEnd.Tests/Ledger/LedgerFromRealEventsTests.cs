using System.Globalization;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Ledger;

/// <summary>
/// The acceptance record from what people really did in Chromium on the real server (<see cref="RealDecisions"/>),
/// read by <c>idpbridge ledger sync</c> in both ways of querying Keycloak's events, each into a store of its own.
/// </summary>
[NonParallelizable]
public sealed class LedgerFromRealEventsTests
{
    private RealDecisions decisions = null!;

    [OneTimeSetUp]
    public async Task MakeDecisionsAsync() => decisions = await RealDecisions.MakeAsync();

    [OneTimeTearDown]
    public async Task RemoveRealmAsync()
    {
        if (decisions is not null)
        {
            await decisions.DisposeAsync();
        }
    }

    [TestCase("Day")]
    [TestCase("Millis")]
    public async Task Sync_RealAcceptsAndDeclines_RecordsWhoWhichVersionWhatWhenAndHow(string mode)
    {
        using var store = LedgerStore.CopyOf(decisions.Stack, mode);
        var expected = await ExpectedRecords.AllAsync(decisions);
        var read = ExpectedRecords.Read(decisions);

        var before = Now();
        var sync = await store.SyncAsync();
        var after = Now();
        var rows = (await store.ExportCsvAsync()).Split("\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(expected.Select(r => (r.Person, r.Decision, r.Source)), Is.EqualTo(new[]
            {
                (decisions.Ana, "accepted", "event"), (decisions.Bruno, "declined", "event"), (decisions.Bruno, "accepted", "event"),
                (decisions.Carla, "declined", "event"), (decisions.Dora, "accepted", "timestamp"), (decisions.Eva, "accepted", "event"),
            }), "what the people did, as Keycloak's events and attributes show it");
            Assert.That(read.Select(e => e["type"]!.GetValue<string>()), Has.Member("REGISTER"), "Eva's registration is read, and is no record");
            Assert.That(sync.Output, Is.EqualTo(
                $"Read {read.Count} events: 5 new records, 0 already recorded; 1 acceptances learned from timestamps. " +
                $"Events are on in the realm; read through {ExpectedRecords.Time(ExpectedRecords.Watermark(decisions))}.\n"));
            Assert.That(sync.Error, Is.Empty);

            Assert.That(rows[0], Is.EqualTo(
                "\uFEFFrecord_id,realm,user_id,username,policy,version,content_hash,decision,occurred_at_utc,client_id,ip_address,source,keycloak_event_id," +
                "recorded_at_utc,locale_shown"));
            Assert.That(rows[^1], Is.Empty, "CRLF after the last row");
            var body = rows[1..^1].Select(row => row.Split(',')).ToList();
            Assert.That(body.Select(cells => string.Join(',', cells[..^2])), Is.EqualTo(expected.Select(r => r.CsvWithoutRecordedAt(decisions.Stack.Name))));
            Assert.That(body.Select(cells => DateTimeOffset.Parse(cells[^2], CultureInfo.InvariantCulture)),
                Has.All.InRange(before.AddMilliseconds(-1), after), "recorded_at_utc: during the sync");
            Assert.That(body.Select(cells => cells[^1]), Has.All.Empty, "locale_shown: Keycloak's own terms step does not say which language it showed");
            Assert.That(expected.Where(r => r.Source == "event").Select(r => (r.ClientId, r.IpAddress)), Has.All.EqualTo(("demo-app", "127.0.0.1")),
                "the client and address of the real sign-ins");
        });
    }

    [TestCase("Day")]
    [TestCase("Millis")]
    public async Task Sync_AgainOverTheSameEvents_AddsNothing(string mode)
    {
        using var store = LedgerStore.CopyOf(decisions.Stack, mode);
        await store.SyncAsync();
        var first = await store.ExportCsvAsync();

        var again = await store.SyncAsync();
        var second = await store.ExportCsvAsync();

        // Day reads again from the day before the watermark less the overlap: every event; Millis from that instant on.
        var watermark = ExpectedRecords.Watermark(decisions);
        var reread = ExpectedRecords.Read(decisions)
            .Where(e => mode == "Day" || e["time"]!.GetValue<long>() >= watermark.AddSeconds(-1).ToUnixTimeMilliseconds()).ToList();
        var decisionsReread = reread.Count(e => e["type"]!.GetValue<string>() != "REGISTER");
        Assert.Multiple(() =>
        {
            Assert.That(again.Output, Is.EqualTo(
                $"Read {reread.Count} events: 0 new records, {decisionsReread} already recorded; 0 acceptances learned from timestamps. " +
                $"Events are on in the realm; read through {ExpectedRecords.Time(watermark)}.\n"));
            Assert.That(second, Is.EqualTo(first), "the same rows, none twice");
        });
    }

    [TestCase("Day")]
    [TestCase("Millis")]
    public async Task Sync_LastAcceptanceOfEachPerson_IsTheSecondKeycloakKeeps(string mode)
    {
        using var store = LedgerStore.CopyOf(decisions.Stack, mode);
        await store.SyncAsync();
        var expected = await ExpectedRecords.AllAsync(decisions);

        foreach (var person in decisions.People)
        {
            var kept = await decisions.AcceptedAtAsync(person);
            var last = expected.LastOrDefault(r => r.Person == person && r.Decision == "accepted");
            if (person == decisions.Carla)
            {
                Assert.That((kept, last), Is.EqualTo(((long?)null, (ExpectedRecord?)null)), "declined: no acceptance time, no acceptance");
                continue;
            }

            // The attribute is set, then the event stamped: the event's second is that one or, across a second's end, the next.
            var seconds = last!.OccurredAt.ToUnixTimeSeconds();
            Assert.That(seconds - kept, Is.InRange(0, 1), $"{person.Email}: terms_and_conditions {kept}, record {ExpectedRecords.Time(last.OccurredAt)}");
        }

        var history = await store.RunAsync("ledger", "history", "--realm", decisions.Stack.Name, "--user", decisions.Dora.Id);
        Assert.That(history.Output, Is.EqualTo(expected.Single(r => r.Person == decisions.Dora).HistoryLine + "\n"));
    }

    [TestCase("Day")]
    [TestCase("Millis")]
    public async Task HistoryAndStats_AfterSync_PrintTheRecordAndTheShare(string mode)
    {
        using var store = LedgerStore.CopyOf(decisions.Stack, mode);
        await store.SyncAsync();
        var expected = await ExpectedRecords.AllAsync(decisions);

        var bruno = await store.RunAsync("ledger", "history", "--realm", decisions.Stack.Name, "--user", decisions.Bruno.Email);
        var stats = await store.RunAsync("ledger", "stats", "--realm", decisions.Stack.Name);

        var effective = DateTimeOffset.Parse(decisions.V2["effectiveAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var firstAcceptances = expected.Where(r => r.Version == 2 && r.Decision == "accepted").GroupBy(r => r.Person).Select(g => g.Min(r => r.OccurredAt)).ToList();
        var series = new List<string>();
        for (var day = DateOnly.FromDateTime(effective.UtcDateTime); day <= DateOnly.FromDateTime(Now().UtcDateTime); day = day.AddDays(1))
        {
            var share = firstAcceptances.Count(at => DateOnly.FromDateTime(at.UtcDateTime) <= day) / 5.0;
            series.Add(string.Create(CultureInfo.InvariantCulture, $"  {day:yyyy-MM-dd}  {share,7:P1}  {new string('#', (int)Math.Round(share * 40))}"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(bruno.Output, Is.EqualTo(string.Concat(expected.Where(r => r.Person == decisions.Bruno).Select(r => r.HistoryLine + "\n"))),
                "his decline, then his acceptance, under his username (not the capitals he typed)");
            Assert.That(stats.Output, Is.EqualTo(string.Join("\n", new[]
            {
                $"privacy version 2 of realm {decisions.Stack.Name} (in force), effective {ExpectedRecords.Time(effective)}",
                "  accepted   3 users",
                "  declined   1 users (not accepted since)",
                "  pending    1 enabled users carry the terms action",
                string.Create(CultureInfo.InvariantCulture, $"  share      {0.6:P1} of 5 enabled users accepted (3)"),
            }.Concat(series)) + "\n"), "Bruno, Dora and Eva accepted v2; Carla declined it and is asked again; Ana accepted v1 only");
        });
    }

    [Test]
    public async Task LedgerWorker_ServiceSyncsByItself_RecordsWhatTheCommandRecords()
    {
        using var byCommand = LedgerStore.CopyOf(decisions.Stack, "Millis");
        await byCommand.SyncAsync();
        using var byService = LedgerStore.CopyOf(decisions.Stack, "Millis");
        var settings = new Dictionary<string, string>(byService.Settings, StringComparer.Ordinal) { ["IdpBridge__Ledger__SyncInterval"] = "00:00:01" };

        // The service reads events with the realm's own idpbridge client (view-users, view-events), as the stack runs it.
        await decisions.Stack.StartServiceAsync(settings);
        string log;
        var logged = $"Acceptance record of realm {decisions.Stack.Name}: 5 decisions from events, 1 from timestamps";
        try
        {
            var deadline = Now().AddMinutes(1);
            while (!decisions.Stack.Service.Log.Contains(logged, StringComparison.Ordinal) && Now() < deadline)
            {
                await Task.Delay(250);
            }
        }
        finally
        {
            log = decisions.Stack.Service.Log;
            decisions.Stack.StopService();
        }

        Assert.That(log, Does.Contain(logged));
        Assert.That(WithoutRecordedAt(await byService.ExportCsvAsync()), Is.EqualTo(WithoutRecordedAt(await byCommand.ExportCsvAsync())));
    }

    private static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    /// <summary>The export's rows without <c>recorded_at_utc</c> (the next-to-last column), which differs between two syncs.</summary>
    private static string[] WithoutRecordedAt(string csv) =>
        csv.Split("\r\n").Select(row => row.Split(',') is { Length: > 2 } cells ? string.Join(',', [.. cells[..^2], cells[^1]]) : row).ToArray();
}
