using System.Globalization;
using System.Text.Json.Nodes;

namespace IdpBridge.EndToEnd.Tests.Ledger;

/// <summary>
/// One record the acceptance ledger must hold, worked out from what Keycloak holds, not from IdpBridge. Its record id
/// is the store's sequence number: records from events first, oldest first; then reconciled timestamps.
/// </summary>
internal sealed record ExpectedRecord(
    long RecordId, Person Person, int Version, string ContentHash, string Decision, DateTimeOffset OccurredAt, string? ClientId,
    string? IpAddress, string Source, string? KeycloakEventId)
{
    /// <summary>The CSV export's row, but for its last column (<c>recorded_at_utc</c>, the time of the sync).</summary>
    public string CsvWithoutRecordedAt(string realm) => string.Join(',',
        RecordId.ToString(CultureInfo.InvariantCulture), realm, Person.Id, Person.Email, "privacy", Version.ToString(CultureInfo.InvariantCulture),
        ContentHash, Decision, ExpectedRecords.Time(OccurredAt), ClientId ?? "", IpAddress ?? "", Source, KeycloakEventId ?? "");

    /// <summary>The line <c>ledger history</c> prints for it.</summary>
    public string HistoryLine =>
        $"{ExpectedRecords.Time(OccurredAt)}  {Decision,-8}  privacy v{Version} ({ContentHash[..12]})  {Person.Email}  " +
        $"client {ClientId ?? "-"}  ip {IpAddress ?? "-"}  via {Source}";
}

/// <summary>What the ledger must hold after a sync of <see cref="RealDecisions"/>, read off Keycloak's events and users.</summary>
internal static class ExpectedRecords
{
    /// <summary>The event types a sync reads (IdpBridge asks for these three).</summary>
    public static readonly string[] ReadTypes = ["CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR", "REGISTER"];

    /// <summary>A time as the ledger prints it: ISO-8601 UTC with milliseconds (README, "The CSV export").</summary>
    public static string Time(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stored events a sync reads, oldest first.</summary>
    public static List<JsonObject> Read(RealDecisions decisions) =>
        decisions.Events.Where(e => ReadTypes.Contains(e["type"]!.GetValue<string>())).ToList();

    /// <summary>The newest time among the events a sync reads: the watermark it reports.</summary>
    public static DateTimeOffset Watermark(RealDecisions decisions) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Read(decisions).Max(e => e["time"]!.GetValue<long>()));

    /// <summary>Every record, in the export's order (oldest first, then by record id).</summary>
    public static async Task<List<ExpectedRecord>> AllAsync(RealDecisions decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var fromEvents = decisions.Events
            .Where(e => e["details"]?["custom_required_action"]?.GetValue<string>() == "TERMS_AND_CONDITIONS"
                && (e["type"]!.GetValue<string>() == "CUSTOM_REQUIRED_ACTION"
                    || (e["type"]!.GetValue<string>() == "CUSTOM_REQUIRED_ACTION_ERROR" && e["error"]?.GetValue<string>() == "rejected_by_user")))
            .Select((e, index) =>
            {
                var person = decisions.People.Single(p => p.Id == e["userId"]!.GetValue<string>());
                var version = person == decisions.Ana ? decisions.V1 : decisions.V2;
                return new ExpectedRecord(
                    index + 1, person, version["number"]!.GetValue<int>(), version["contentHash"]!.GetValue<string>(),
                    e["type"]!.GetValue<string>() == "CUSTOM_REQUIRED_ACTION" ? "accepted" : "declined",
                    DateTimeOffset.FromUnixTimeMilliseconds(e["time"]!.GetValue<long>()),
                    e["clientId"]!.GetValue<string>(), e["ipAddress"]!.GetValue<string>(), "event", e["id"]!.GetValue<string>());
            })
            .ToList();

        // Dora accepted while the realm stored no events: only Keycloak's last-acceptance second shows it.
        var doraAt = DateTimeOffset.FromUnixTimeSeconds((await decisions.AcceptedAtAsync(decisions.Dora))!.Value);
        var dora = new ExpectedRecord(
            fromEvents.Count + 1, decisions.Dora, decisions.V2["number"]!.GetValue<int>(), decisions.V2["contentHash"]!.GetValue<string>(),
            "accepted", doraAt, null, null, "timestamp", null);
        return fromEvents.Append(dora).OrderBy(record => record.OccurredAt).ThenBy(record => record.RecordId).ToList();
    }
}
