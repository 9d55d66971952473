using System.Text;
using System.Text.Json;
using IdpBridge.Core.Ledger;
using Microsoft.VisualBasic.FileIO;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

public sealed class LedgerExportTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 31, 23, 59, 58, 7, TimeSpan.Zero);

    private static readonly string[] AwkwardNames =
    [
        "pérez, juan",
        "o'brien \"el jefe\"",
        "línea uno\nlínea dos",
        "retorno\r\nwindows",
        "ñandú; müller",
        "  espacios  ",
        "日本語",
        "\"",
        ",",
        "",
    ];

    [Test]
    public async Task Csv_AwkwardNames_RoundTripThroughACsvReader()
    {
        var records = AwkwardNames.Select((name, i) => Record(i + 1, name)).ToList();

        var bytes = await ExportAsync(records, LedgerExportFormat.Csv);
        var rows = ParseCsv(bytes);

        Assert.That(rows[0], Is.EqualTo(LedgerExport.Columns.Select(column => column.Name)));
        Assert.That(rows.Skip(1).Select(row => row[3]), Is.EqualTo(AwkwardNames), "usernames come back exactly");
        Assert.That(rows.Skip(1).Select(row => row[8]), Has.All.EqualTo("2026-01-31T23:59:58.007Z"));
        Assert.That(rows.Skip(1), Has.All.Length.EqualTo(LedgerExport.Columns.Count));
    }

    [Test]
    public async Task Csv_StartsWithAByteOrderMarkAndEndsLinesWithCrLf_UnlessToldOtherwise()
    {
        var withMark = await ExportAsync([Record(1, "ana")], LedgerExportFormat.Csv);
        var without = await ExportAsync([Record(1, "ana")], LedgerExportFormat.Csv, new CsvSettings { ByteOrderMark = false });

        Assert.That(withMark.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.That(Encoding.UTF8.GetString(without), Does.StartWith("record_id,realm,user_id,username,"));
        Assert.That(Encoding.UTF8.GetString(without).Split("\r\n"), Has.Length.EqualTo(3), "header, one row, nothing after the last CRLF");
    }

    [Test]
    public async Task Csv_SemicolonDelimiter_QuotesSemicolonsNotCommas()
    {
        var bytes = await ExportAsync([Record(1, "a;b,c")], LedgerExportFormat.Csv, new CsvSettings { ByteOrderMark = false, Delimiter = ';' });

        var row = Encoding.UTF8.GetString(bytes).Split("\r\n")[1];
        Assert.That(row, Does.Contain(";\"a;b,c\";"));
    }

    [Test]
    public async Task Csv_ValueASpreadsheetWouldRun_IsDefused()
    {
        var bytes = await ExportAsync([Record(1, "=HYPERLINK(\"http://evil\")")], LedgerExportFormat.Csv);

        Assert.That(ParseCsv(bytes)[1][3], Is.EqualTo("'=HYPERLINK(\"http://evil\")"));
    }

    [Test]
    public async Task Jsonl_HeaderThenOneVerbatimObjectPerRecord()
    {
        var records = AwkwardNames.Select((name, i) => Record(i + 1, name)).Append(Record(99, "=sum(a1)") with { VersionNumber = null, ContentHash = null }).ToList();

        var lines = Encoding.UTF8.GetString(await ExportAsync(records, LedgerExportFormat.Jsonl)).Split('\n');

        using var header = JsonDocument.Parse(lines[0]);
        Assert.That(header.RootElement.GetProperty("header").GetProperty("columns").EnumerateObject().Select(column => column.Name),
            Is.EqualTo(LedgerExport.Columns.Select(column => column.Name)));
        var parsed = lines.Skip(1).Where(line => line.Length > 0).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.That(parsed.Select(row => row.GetProperty("username").GetString()), Is.EqualTo(records.Select(record => record.Username)));
        Assert.That(parsed[0].GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(parsed[^1].GetProperty("version").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(parsed[0].GetProperty("occurred_at_utc").GetString(), Is.EqualTo("2026-01-31T23:59:58.007Z"));
    }

    private static AcceptanceRecord Record(long id, string username) =>
        new("externos", $"user-{id}", username, "privacy", 1, "abc123", AcceptanceDecision.Accepted, At, "portal", "2001:db8::1", AcceptanceSource.Event, $"k{id}")
        {
            Id = id,
            RecordedAt = At.AddSeconds(1),
        };

    private static async Task<byte[]> ExportAsync(IEnumerable<AcceptanceRecord> records, LedgerExportFormat format, CsvSettings? csv = null)
    {
        using var output = new MemoryStream();
        await LedgerExport.WriteAsync(records.ToAsyncEnumerable(), output, format, csv);
        return output.ToArray();
    }

    /// <summary>.NET's own RFC 4180 reader (Microsoft.VisualBasic's TextFieldParser), not the code under test.</summary>
    private static List<string[]> ParseCsv(byte[] bytes)
    {
        using var parser = new TextFieldParser(new MemoryStream(bytes), Encoding.UTF8, detectEncoding: true)
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    }
}
