using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IdpBridge.Core.Ledger;

/// <summary>The export formats.</summary>
public enum LedgerExportFormat
{
    /// <summary>RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row of column names.</summary>
    Csv,

    /// <summary>JSON Lines: a first line describing the columns, then one object per record.</summary>
    Jsonl,
}

/// <summary>How a CSV export is written.</summary>
public sealed record CsvSettings
{
    /// <summary>
    /// Start with a UTF-8 byte-order mark (default true): without it Excel reads the file in the machine's ANSI code
    /// page and "José" arrives as "JosÃ©"; LibreOffice, Numbers, Google Sheets and Python's <c>utf-8-sig</c> read it too.
    /// </summary>
    public bool ByteOrderMark { get; init; } = true;

    /// <summary>
    /// The field separator (default <c>,</c>). Use <c>;</c> for a spreadsheet whose locale writes decimals with a comma
    /// (es-AR, es-ES, de...), where Excel splits on semicolons.
    /// </summary>
    public char Delimiter { get; init; } = ',';
}

/// <summary>
/// Streams the ledger as CSV or JSON Lines: one record at a time from the database to the output, so memory stays flat
/// whatever the number of rows.
/// </summary>
public static class LedgerExport
{
    /// <summary>The columns, in order, with what each one is.</summary>
    public static IReadOnlyList<(string Name, string Description)> Columns { get; } =
    [
        ("record_id", "the ledger's sequence number of this record"),
        ("realm", "the Keycloak realm"),
        ("user_id", "Keycloak's user id"),
        ("username", "the username at the time"),
        ("policy", "the policy shown by the terms step"),
        ("version", "number of the policy version decided on: as IdpBridge's terms bridge named it, else the one in force at that moment (empty: none published yet)"),
        ("content_hash", "SHA-256 of that version's texts, as IdpBridge published them"),
        ("decision", "accepted, declined, or acknowledged (a notice version shown, the user went on)"),
        ("occurred_at_utc", "when, ISO-8601 UTC"),
        ("client_id", "the Keycloak client the user was signing in to"),
        ("ip_address", "the address Keycloak saw"),
        ("source", "how it was learned: event (terms step), registration (registration checkbox), timestamp (Keycloak's last-acceptance time, no event left)"),
        ("keycloak_event_id", "Keycloak's event id (26.4+)"),
        ("recorded_at_utc", "when IdpBridge recorded it, ISO-8601 UTC"),
        ("locale_shown",
            "the language the terms page was shown in, as IdpBridge's terms bridge names it in its event "
            + "(empty: Keycloak's own step, a registration or a timestamp, which do not say)"),
    ];

    /// <summary>Writes <paramref name="records"/> to <paramref name="output"/>; returns how many rows were written.</summary>
    public static async Task<long> WriteAsync(
        IAsyncEnumerable<AcceptanceRecord> records, Stream output, LedgerExportFormat format, CsvSettings? csv = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        return format switch
        {
            LedgerExportFormat.Csv => await WriteCsvAsync(records, output, csv ?? new CsvSettings(), cancellationToken).ConfigureAwait(false),
            LedgerExportFormat.Jsonl => await WriteJsonLinesAsync(records, output, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
        };
    }

    /// <summary>Whether <paramref name="column"/> is a number in JSON (<c>record_id</c>, <c>version</c>), in every JSON output alike.</summary>
    public static bool IsNumber(string column) => column is "record_id" or "version";

    /// <summary>A time as the export writes it: ISO-8601, UTC, milliseconds, <c>Z</c>.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The values of one record, in <see cref="Columns"/> order.</summary>
    public static string?[] Values(AcceptanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
        [
            record.Id.ToString(CultureInfo.InvariantCulture),
            record.Realm,
            record.UserId,
            record.Username,
            record.Policy,
            record.VersionNumber?.ToString(CultureInfo.InvariantCulture),
            record.ContentHash,
            record.Decision.ToString().ToLowerInvariant(),
            Time(record.OccurredAt),
            record.ClientId,
            record.IpAddress,
            record.Source.ToString().ToLowerInvariant(),
            record.KeycloakEventId,
            Time(record.RecordedAt),
            record.LocaleShown,
        ];
    }

    private static async Task<long> WriteCsvAsync(IAsyncEnumerable<AcceptanceRecord> records, Stream output, CsvSettings settings, CancellationToken cancellationToken)
    {
        CsvLines.CheckDelimiter(settings.Delimiter, nameof(settings));

        var writer = new StreamWriter(output, new UTF8Encoding(settings.ByteOrderMark), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await using (writer.ConfigureAwait(false))
        {
            var line = new StringBuilder(512);
            await CsvLines.WriteAsync(writer, line, Columns.Select(column => (string?)column.Name), settings.Delimiter).ConfigureAwait(false);
            long rows = 0;
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await CsvLines.WriteAsync(writer, line, Values(record), settings.Delimiter).ConfigureAwait(false);
                rows++;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return rows;
        }
    }

    private static async Task<long> WriteJsonLinesAsync(IAsyncEnumerable<AcceptanceRecord> records, Stream output, CancellationToken cancellationToken)
    {
        // Lines gather in one buffer that goes out in 64 KiB writes: few system calls, memory bounded.
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartObject("header");
            json.WriteString("format", "idpbridge acceptance ledger, one JSON object per line after this one");
            json.WriteStartObject("columns");
            foreach (var (name, description) in Columns)
            {
                json.WriteString(name, description);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            EndLine(json, buffer);

            long rows = 0;
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var values = Values(record);
                json.WriteStartObject();
                for (var i = 0; i < Columns.Count; i++)
                {
                    var name = Columns[i].Name;
                    if (values[i] is null)
                    {
                        json.WriteNull(name);
                    }
                    else if (IsNumber(name))
                    {
                        json.WriteNumber(name, long.Parse(values[i]!, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.WriteString(name, values[i]);
                    }
                }

                json.WriteEndObject();
                EndLine(json, buffer);
                rows++;
                if (buffer.WrittenCount >= 1 << 16)
                {
                    await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    buffer.ResetWrittenCount();
                }
            }

            await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return rows;
        }
    }

    private static void EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        json.Reset();
        buffer.Write("\n"u8);
    }
}
