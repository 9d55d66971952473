using IdpBridge.EndToEnd.Tests.Browser;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Ledger;

/// <summary>
/// A store of its own for one test: a copy of the demo stack's store as it was after the policies were published (the
/// versions, no record yet), and <c>idpbridge ledger ...</c> on it with the events read one way
/// (<c>IdpBridge__Ledger__EventsQuery</c>). Several tests read the same real events into stores that never meet.
/// </summary>
internal sealed class LedgerStore : IDisposable
{
    /// <summary>
    /// How far behind its watermark a sync reads again, and how old a timestamp must be before it is reconciled: one
    /// second, not the default ten minutes, so that a test sees reconciliation of what happened a moment ago.
    /// </summary>
    public const string Overlap = "00:00:01";

    private readonly DemoStack stack;
    private readonly string folder;

    private LedgerStore(DemoStack stack, string mode, string folder)
    {
        this.stack = stack;
        Mode = mode;
        this.folder = folder;
    }

    /// <summary>How this store's syncs query Keycloak's events: <c>Day</c> or <c>Millis</c>.</summary>
    public string Mode { get; }

    /// <summary>The copy's SQLite file.</summary>
    public string Path => System.IO.Path.Combine(folder, "idpbridge.db");

    /// <summary>The settings the CLI and the service get for this store (environment variables).</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["IdpBridge__Storage__SqlitePath"] = Path,
        ["IdpBridge__Ledger__EventsQuery"] = Mode,
        ["IdpBridge__Ledger__Overlap"] = Overlap,
    };

    /// <summary>Copies the stack's store (with SQLite's write-ahead log, when one is left) into a folder of its own.</summary>
    public static LedgerStore CopyOf(DemoStack stack, string mode)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var folder = Directory.CreateTempSubdirectory("idpbridge-e2e-ledger-").FullName;
        var store = new LedgerStore(stack, mode, folder);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(stack.StorePath + suffix))
            {
                File.Copy(stack.StorePath + suffix, store.Path + suffix);
            }
        }

        return store;
    }

    /// <summary>Runs <c>idpbridge</c> with <paramref name="args"/> on this store; the exit code must be 0.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        var cli = stack.Cli();
        foreach (var (name, value) in Settings)
        {
            cli.Environment[name] = value;
        }

        var run = await cli.RunAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"idpbridge {string.Join(' ', args)} ({Mode}): {run}");
        return run;
    }

    /// <summary><c>idpbridge ledger sync</c> of the stack's realm.</summary>
    public Task<CliRun> SyncAsync() => RunAsync("ledger", "sync", "--realm", stack.Name);

    /// <summary><c>idpbridge ledger export --format csv</c> of the stack's realm, as the file's bytes decoded (byte-order mark included).</summary>
    public async Task<string> ExportCsvAsync()
    {
        var file = System.IO.Path.Combine(folder, $"export-{Guid.NewGuid():N}.csv");
        await RunAsync("ledger", "export", "--realm", stack.Name, "--format", "csv", "--file", file);
        return new System.Text.UTF8Encoding(false).GetString(await File.ReadAllBytesAsync(file));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
