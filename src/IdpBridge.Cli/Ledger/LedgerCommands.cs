using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.Cli.Policies;
using IdpBridge.Core.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli.Ledger;

/// <summary><c>idpbridge ledger sync | export | history | stats | prune | verify | proof | public-key | verify-proof</c>.</summary>
internal static class LedgerCommands
{

    public static Command Build(CliContext context)
    {
        var ledger = new Command("ledger", """
            The acceptance record: who accepted or declined which version of the terms policy, when, from which client
            and address, and how IdpBridge learned it (a Keycloak event, a registration, or Keycloak's last-acceptance
            timestamp). Append-only, in IdpBridge's database (IdpBridge__Storage__*).
            """);
        ledger.Subcommands.Add(Sync(context));
        ledger.Subcommands.Add(Export(context));
        ledger.Subcommands.Add(History(context));
        ledger.Subcommands.Add(Stats(context));
        ledger.Subcommands.Add(Prune(context));
        ledger.Subcommands.Add(LedgerVerifyCommand.Build(context));
        ledger.Subcommands.Add(LedgerProofCommand.Build(context));
        ledger.Subcommands.Add(LedgerPublicKeyCommand.Build(context));
        ledger.Subcommands.Add(LedgerVerifyProofCommand.Build(context));
        return ledger;
    }

    private static Command Sync(CliContext context)
    {
        var (realm, output, services) = Common();
        var command = new Command("sync", """
            Read the realm's terms events (CUSTOM_REQUIRED_ACTION, CUSTOM_REQUIRED_ACTION_ERROR, REGISTER) since the last
            sync, less an overlap, into the record, each once; then record the users' terms_and_conditions timestamps that
            no event explains (events off, filtered or expired). The service does this every minute by itself.
            Example: idpbridge ledger sync --realm externos
            """)
        {
            realm, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Run(context, parseResult, services, output, async provider =>
        {
            var result = await provider.GetRequiredService<LedgerSync>().SyncAsync(parseResult.GetValue(realm)!, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(CliJson.Serialize(result)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync(
                    $"Read {result.EventsRead} events: {result.Recorded} new records, {result.AlreadyRecorded} already recorded; " +
                    $"{result.Reconciled} acceptances learned from timestamps. Events are {(result.EventsEnabled ? "on" : "OFF")} in the realm" +
                    (result.Watermark is { } watermark ? $"; read through {LedgerExport.Time(watermark)}." : ".")).ConfigureAwait(false);
                if (!result.EventsEnabled)
                {
                    await context.Error.WriteLineAsync(
                        "note: with events off only the last acceptance of each user is known, without client or address; " +
                        "turn events on (realm apply) for a full record.").ConfigureAwait(false);
                }
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var (realm, _, services) = Common();
        var from = CliTime.Option("--from", "records at or after this time");
        var to = CliTime.Option("--to", "records before this time (exclusive)");
        var format = new Option<string>("--format") { Description = "csv or jsonl", Required = true };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var file = new Option<FileInfo?>("--file") { Description = "write here instead of standard output" };
        var noBom = new Option<bool>("--no-bom") { Description = "CSV without the UTF-8 byte-order mark (for tools that do not expect it; Excel needs it)" };
        var delimiter = new Option<string>("--delimiter")
        {
            Description = "CSV separator: , (default) or ; (spreadsheets in locales with a decimal comma)",
            DefaultValueFactory = _ => ",",
        };
        delimiter.AcceptOnlyFromAmong(",", ";");
        var command = new Command("export", """
            Stream the record as CSV (RFC 4180, UTF-8 with BOM, CRLF, ISO-8601 UTC times, header row) or JSON Lines (a
            header line describing each column, then one object per record), oldest first. Rows go from the database to
            the output one at a time: a million rows use no more memory than ten. Holds personal data: admins only.
            Example: idpbridge ledger export --realm externos --from 2026-01-01 --format csv --file ledger.csv
            """)
        {
            realm, from, to, format, file, noBom, delimiter,
        };
        services.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(from) is { } start && parseResult.GetValue(to) is { } end && start >= end)
            {
                await context.Error.WriteLineAsync(
                    $"--from ({LedgerExport.Time(start)}) must be before --to ({LedgerExport.Time(end)}): the range is empty.").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Usage;
            }

            return await Run(context, parseResult, services, null, provider => ExportAsync(context, parseResult, provider, cancellationToken)).ConfigureAwait(false);
        });
        return command;

        async Task<int> ExportAsync(CliContext context, ParseResult parseResult, ServiceProvider provider, CancellationToken cancellationToken)
        {
            var query = new LedgerQuery { Realm = parseResult.GetValue(realm)!, From = parseResult.GetValue(from), To = parseResult.GetValue(to) };
            await KnownRealm.RequireAsync(provider, query.Realm, cancellationToken).ConfigureAwait(false);
            var exportFormat = parseResult.GetValue(format) == "jsonl" ? LedgerExportFormat.Jsonl : LedgerExportFormat.Csv;
            var csv = new CsvSettings { ByteOrderMark = !parseResult.GetValue(noBom), Delimiter = parseResult.GetValue(delimiter)![0] };
            var records = provider.GetRequiredService<IAcceptanceLedger>().ReadAsync(query, cancellationToken);
            var rows = await ExportOutput.WriteAsync(
                context, parseResult.GetValue(file), stream => LedgerExport.WriteAsync(records, stream, exportFormat, csv, cancellationToken), cancellationToken)
                .ConfigureAwait(false);

            await context.Error.WriteLineAsync($"Exported {rows} records of realm {query.Realm}.").ConfigureAwait(false);
            return IdpBridgeCommand.ExitCodes.Success;
        }
    }

    private static Command History(CliContext context)
    {
        var (realm, output, services) = Common();
        var user = new Option<string>("--user") { Description = "a user id or a username", Required = true };
        var command = new Command("history", "One user's decisions, oldest first.\nExample: idpbridge ledger history --realm externos --user maria.lopez")
        {
            realm, user, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Run(context, parseResult, services, output, async provider =>
        {
            await KnownRealm.RequireAsync(provider, parseResult.GetValue(realm)!, cancellationToken).ConfigureAwait(false);
            var records = await provider.GetRequiredService<IAcceptanceLedger>()
                .ReadAsync(new LedgerQuery { Realm = parseResult.GetValue(realm)!, User = parseResult.GetValue(user) }, cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(new JsonArray(records.Select(record => (JsonNode?)Json(record)).ToArray()).ToJsonString(CliJson.Output)).ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            if (records.Count == 0)
            {
                await context.Error.WriteLineAsync($"The record holds nothing for '{parseResult.GetValue(user)}' in realm {parseResult.GetValue(realm)}.").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            foreach (var record in records)
            {
                var version = record.VersionNumber is { } number ? $"v{number} ({record.ContentHash![..Math.Min(12, record.ContentHash!.Length)]})" : "no version";
                await context.Output.WriteLineAsync(
                    $"{LedgerExport.Time(record.OccurredAt)}  {Lower(record.Decision),-8}  {record.Policy} {version}  {record.Username}  " +
                    $"client {record.ClientId ?? "-"}  ip {record.IpAddress ?? "-"}  via {Lower(record.Source)}" +
                    (record.LocaleShown is { } locale ? $"  shown in {locale}" : "")).ConfigureAwait(false);
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Command Stats(CliContext context)
    {
        var (realm, output, services) = Common();
        var version = new Option<int?>("--version") { Description = "the terms policy's version number (default: the one in force now)" }
            .Between(1, int.MaxValue, " (a version number)");
        var command = new Command("stats", """
            For one version of the terms policy: how many users accepted, declined (and have not accepted since), acknowledged (a notice), still
            carry the terms action, and the share of enabled users who accepted, day by day (walks the realm's users).
            Example: idpbridge ledger stats --realm externos --version 2
            """)
        {
            realm, version, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Run(context, parseResult, services, output, async provider =>
        {
            var report = await provider.GetRequiredService<LedgerReport>()
                .ForVersionAsync(parseResult.GetValue(realm)!, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (report is null)
            {
                return await context.FailAsync(new InvalidOperationException(parseResult.GetValue(version) is { } number
                    ? $"The terms policy of realm {parseResult.GetValue(realm)} has no version {number}."
                    : $"No version of the terms policy of realm {parseResult.GetValue(realm)} is in force."), parseResult.GetValue(output) == "json").ConfigureAwait(false);
            }

            if (parseResult.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(CliJson.Serialize(report)).ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            await context.Output.WriteLineAsync(
                $"{report.Policy} version {report.Version} of realm {report.Realm}{(report.InForce ? " (in force)" : "")}, " +
                $"effective {LedgerExport.Time(report.EffectiveAt)}").ConfigureAwait(false);
            await context.Output.WriteLineAsync($"  accepted   {report.AcceptedUsers} users").ConfigureAwait(false);
            await context.Output.WriteLineAsync($"  declined   {report.DeclinedUsers} users (not accepted since)").ConfigureAwait(false);
            if (report.AcknowledgedUsers > 0)
            {
                await context.Output.WriteLineAsync($"  acknowledged {report.AcknowledgedUsers} users (a notice, shown once)").ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync($"  pending    {report.PendingUsers} enabled users carry the terms action").ConfigureAwait(false);
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  share      {report.Share:P1} of {report.EnabledUsers} enabled users accepted ({report.EnabledAccepted})")).ConfigureAwait(false);
            foreach (var point in report.Series.TakeLast(14))
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {point.Day:yyyy-MM-dd}  {point.Share,7:P1}  {new string('#', (int)Math.Round(point.Share * 40))}")).ConfigureAwait(false);
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Command Prune(CliContext context)
    {
        var (realm, output, services) = Common();
        var command = new Command("prune", """
            Apply the retention setting (IdpBridge__Ledger__RetentionDays; 0, the default, keeps everything): delete the
            realm's records older than that many days. The only way records leave the ledger; each prune is itself
            recorded (realm, cut-off, time, rows) and the database refuses any other deletion.
            Example: IdpBridge__Ledger__RetentionDays=1825 idpbridge ledger prune --realm externos
            """)
        {
            realm, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Run(context, parseResult, services, output, async provider =>
        {
            var json = parseResult.GetValue(output) == "json";
            var days = provider.GetRequiredService<IOptions<LedgerOptions>>().Value.RetentionDays;
            if (days == 0)
            {
                // Nothing to do is not a failure: a scheduled prune with retention off must not fail the job.
                await context.Output.WriteLineAsync(json
                    ? new JsonObject { ["pruned"] = 0, ["retentionDays"] = 0 }.ToJsonString()
                    : "Retention is off (IdpBridge__Ledger__RetentionDays = 0): records are kept forever and nothing was pruned.").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            var now = provider.GetRequiredService<TimeProvider>().GetUtcNow();
            var before = now.AddDays(-days);
            var pruned = await provider.GetRequiredService<IAcceptanceLedger>().PruneAsync(parseResult.GetValue(realm)!, before, now, cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync(json
                ? new JsonObject { ["pruned"] = pruned, ["before"] = before }.ToJsonString()
                : $"Pruned {pruned} records older than {LedgerExport.Time(before)} ({days} days).").ConfigureAwait(false);
            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Task<int> Run(CliContext context, ParseResult parseResult, CliServices services, Option<string>? output, Func<ServiceProvider, Task<int>> run) =>
        services.RunWithStoreAsync(context, parseResult, output is not null && parseResult.GetValue(output) == "json", run);

    private static (Option<string> Realm, Option<string> Output, CliServices Services) Common()
    {
        var realm = new Option<string>("--realm") { Description = "the Keycloak realm", Required = true };
        var output = new Option<string>("--output") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        return (realm, output, new CliServices());
    }

    private static JsonObject Json(AcceptanceRecord record)
    {
        var values = LedgerExport.Values(record);
        var node = new JsonObject();
        for (var i = 0; i < values.Length; i++)
        {
            var name = LedgerExport.Columns[i].Name;
            node[name] = LedgerExport.IsNumber(name) && values[i] is { } number
                ? JsonValue.Create(long.Parse(number, CultureInfo.InvariantCulture))
                : values[i];
        }

        return node;
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
