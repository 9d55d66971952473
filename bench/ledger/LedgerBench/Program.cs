// The acceptance ledger benchmark (issue 6). `all` ingests COUNT simulated Keycloak terms events into a fresh SQLite
// file and a fresh PostgreSQL database through the ledger's real path (event -> record with the version in force ->
// batched, de-duplicated append), then runs `export` in child processes at several row counts, so that each export's
// peak memory is its own. Figures are printed as a Markdown table.
using System.Diagnostics;
using System.Globalization;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Events;
using IdpBridge.Testing.Storage;

const string Realm = "externos";
var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

switch (args.FirstOrDefault())
{
    case "all":
        return await AllAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
    case "export":
        return await ExportAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
    default:
        Console.Error.WriteLine("usage: LedgerBench all COUNT WORKDIR | export sqlite|postgresql LOCATION ROWS csv|jsonl");
        return 64;
}

async Task<int> AllAsync(int count, string work)
{
    Directory.CreateDirectory(work);
    var rows = new List<string>();
    var sqlitePath = Path.Combine(work, "ledger.db");
    File.Delete(sqlitePath);
    var sqlite = new SqliteDatabase(sqlitePath);
    rows.Add(await IngestAsync("SQLite", sqlite, new AdoAcceptanceLedger(sqlite), new AdoPolicyStore(sqlite), count));

    await using var server = await PostgresServer.StartAsync();
    await using var handle = await server.CreateDatabaseAsync("bench");
    await using (var postgres = new PostgresDatabase(handle.ConnectionString))
    {
        rows.Add(await IngestAsync("PostgreSQL", postgres, new AdoAcceptanceLedger(postgres), new AdoPolicyStore(postgres), count));
    }

    var exportCounts = new[] { count / 100, count / 10, count }.Where(n => n > 0).Distinct();
    foreach (var (name, location) in new[] { ("sqlite", sqlitePath), ("postgresql", handle.ConnectionString) })
    {
        foreach (var format in new[] { "csv", "jsonl" })
        {
            foreach (var n in exportCounts)
            {
                rows.Add(await ChildAsync(null, "export", name, location, n.ToString(CultureInfo.InvariantCulture), format));
            }
        }

        // The whole export again with the managed heap capped at 16 MiB: it can only pass if memory does not grow with rows.
        rows.Add((await ChildAsync("0x1000000", "export", name, location, count.ToString(CultureInfo.InvariantCulture), "csv"))
            .Replace("export csv", "export csv, GC heap capped at 16 MiB", StringComparison.Ordinal));
    }

    Console.WriteLine("| provider | phase | rows | seconds | rows/s | peak RSS (MiB) |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|");
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

async Task<string> IngestAsync(string name, IStoreDatabase database, IAcceptanceLedger ledger, IPolicyStore policies, int count)
{
    await database.MigrateAsync();
    for (var number = 1; number <= 3; number++)
    {
        var at = start.AddMinutes(count / 1000.0 * 100 * (number - 1) / 3);
        await policies.AddAsync(new PolicyVersion(Realm, "privacy", 0, PolicyVersionKind.Material, at, at, $"hash-{number}",
            [new PolicyText("es", "Privacidad", null, $"v{number}", $"sha-{number}")]));
    }

    var versions = new VersionTimeline(await policies.ListAsync(Realm, "privacy"));
    ResetPeak();
    var stopwatch = Stopwatch.StartNew();
    var batch = new List<AcceptanceRecord>(1_000);
    long added = 0;
    for (var i = 0; i < count; i++)
    {
        var record = AcceptanceEvents.ToRecord(Event(i), Realm, "privacy", versions, registrationAcceptsTerms: true, start);
        batch.Add(record!);
        if (batch.Count == 1_000)
        {
            added += await ledger.AppendAsync(batch);
            batch.Clear();
        }
    }

    added += await ledger.AppendAsync(batch);
    stopwatch.Stop();
    if (added != count)
    {
        throw new InvalidOperationException($"{name}: {added} records added, {count} expected.");
    }

    return Row(name, "ingest", count, stopwatch.Elapsed);
}

async Task<int> ExportAsync(string provider, string location, int rows, string format)
{
    IStoreDatabase database = provider == "sqlite" ? new SqliteDatabase(location) : new PostgresDatabase(location);
    IAcceptanceLedger ledger = new AdoAcceptanceLedger((IAdoDatabase)database);
    ResetPeak();
    var stopwatch = Stopwatch.StartNew();
    // Event i happened at start + i * 100 ms: this window holds exactly the first ROWS records.
    var query = new LedgerQuery { Realm = Realm, To = start.AddMilliseconds(rows * 100L) };
    var written = await LedgerExport.WriteAsync(ledger.ReadAsync(query), Stream.Null, format == "jsonl" ? LedgerExportFormat.Jsonl : LedgerExportFormat.Csv);
    stopwatch.Stop();
    if (written != rows)
    {
        throw new InvalidOperationException($"{written} rows exported, {rows} expected.");
    }

    Console.WriteLine(Row(provider == "sqlite" ? "SQLite" : "PostgreSQL", $"export {format}", rows, stopwatch.Elapsed));
    if (database is IAsyncDisposable disposable)
    {
        await disposable.DisposeAsync();
    }

    return 0;
}

EventRepresentation Event(int i) => new()
{
    Time = start.AddMilliseconds(i * 100L).ToUnixTimeMilliseconds(),
    Type = i % 10 == 0 ? "CUSTOM_REQUIRED_ACTION_ERROR" : i % 10 == 1 ? "REGISTER" : "CUSTOM_REQUIRED_ACTION",
    Error = i % 10 == 0 ? AcceptanceEvents.RejectedByUser : null,
    ClientId = "portal",
    UserId = $"user-{i % 50_000:D6}",
    SessionId = i % 10 == 0 ? null : $"session-{i}",
    IpAddress = $"10.{i / 65_536 % 256}.{i / 256 % 256}.{i % 256}",
    Details = new Dictionary<string, string>
    {
        ["custom_required_action"] = AcceptanceEvents.TermsAction,
        ["username"] = $"usuario.{i % 50_000:D6}",
        ["code_id"] = $"code-{i}",
    },
};

static string Row(string provider, string phase, long rows, TimeSpan elapsed) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {provider} | {phase} | {rows:N0} | {elapsed.TotalSeconds:0.0} | {rows / elapsed.TotalSeconds:N0} | {PeakMiB():0} |");

async Task<string> ChildAsync(string? heapHardLimit, params string[] arguments)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (heapHardLimit is not null)
    {
        info.Environment["DOTNET_GCHeapHardLimit"] = heapHardLimit;
    }

    var entry = typeof(Program).Assembly.Location;
    if (!Path.GetFileNameWithoutExtension(self).Equals("LedgerBench", StringComparison.Ordinal))
    {
        info.ArgumentList.Add(entry);
    }

    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    using var child = Process.Start(info)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    if (child.ExitCode != 0)
    {
        throw new InvalidOperationException($"export {string.Join(' ', arguments)} failed ({child.ExitCode}).");
    }

    return output.Trim();
}

// VmHWM is the process's peak resident set; writing 5 to clear_refs resets it (Linux 4.0+), so a phase measures itself.
static void ResetPeak()
{
    GC.Collect();
    File.WriteAllText("/proc/self/clear_refs", "5");
}

static double PeakMiB()
{
    var line = File.ReadLines("/proc/self/status").First(text => text.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}
