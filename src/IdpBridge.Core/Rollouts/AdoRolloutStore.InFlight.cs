using System.Data.Common;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// The rollout's cap on requests in flight (migration 0011, and 0012's throughput facts): written inside the checkpoint's
/// and the release's UPDATE.
/// </summary>
internal sealed partial class AdoRolloutStore
{
    /// <summary>The columns, read after <see cref="SelectRollouts"/>'s first 24.</summary>
    private const string InFlightColumns =
        ", in_flight_cap, in_flight_mode, in_flight_ceiling, in_flight_changes, cap_changed_at, cap_changed_from, cap_changed_to, " +
        "cap_change_reason, cap_change_latency_ms, cap_change_calmest_ms, cap_change_answers_per_s, cap_change_below_answers_per_s ";

    private const int FirstInFlightColumn = 24;

    /// <summary>The <c>SET</c> assignments (after a comma) that store a <see cref="RolloutInFlight"/>; none when it is null.</summary>
    private static string InFlightAssignments(RolloutInFlight? inFlight) =>
        inFlight is null
            ? ""
            : ", in_flight_cap = @capNow, in_flight_mode = @capMode, in_flight_ceiling = @capCeiling, in_flight_changes = @capChanges, " +
              "cap_changed_at = @capAt, cap_changed_from = @capFrom, cap_changed_to = @capTo, cap_change_reason = @capReason, " +
              "cap_change_latency_ms = @capLatency, cap_change_calmest_ms = @capCalmest, cap_change_answers_per_s = @capAnswers, " +
              "cap_change_below_answers_per_s = @capBelowAnswers";

    private void BindInFlight(DbCommand command, RolloutInFlight? inFlight)
    {
        if (inFlight is null)
        {
            return;
        }

        var change = inFlight.LastChange;
        command.AddParameter("@capNow", inFlight.Cap);
        command.AddParameter("@capMode", inFlight.Mode == InFlightMode.Adaptive ? "adaptive" : "fixed");
        command.AddParameter("@capCeiling", inFlight.Ceiling);
        command.AddParameter("@capChanges", inFlight.Changes);
        command.AddParameter("@capAt", change is null ? null : database.ToDatabase(change.At));
        command.AddParameter("@capFrom", change?.From);
        command.AddParameter("@capTo", change?.To);
        command.AddParameter("@capReason", change?.Reason.Code());
        command.AddParameter("@capLatency", change?.LatencyMs);
        command.AddParameter("@capCalmest", change?.CalmestMs);
        command.AddParameter("@capAnswers", change?.AnswersPerSecond);
        command.AddParameter("@capBelowAnswers", change?.BelowAnswersPerSecond);
    }

    /// <summary>The in-flight columns of the row <paramref name="reader"/> is on; null when no run stored them yet.</summary>
    private RolloutInFlight? ReadInFlight(DbDataReader reader)
    {
        var at = FirstInFlightColumn;
        if (reader.IsDBNull(at))
        {
            return null;
        }

        var mode = reader.GetString(at + 1) switch
        {
            "adaptive" => InFlightMode.Adaptive,
            "fixed" => InFlightMode.Fixed,
            var other => throw new InvalidDataException($"Unknown in-flight mode '{other}' in the database."),
        };
        ThrottleChange? change = null;
        if (!reader.IsDBNull(at + 4))
        {
            var code = reader.GetString(at + 7);
            change = new ThrottleChange(
                database.ReadTime(reader, at + 4), reader.GetInt32(at + 5), reader.GetInt32(at + 6),
                ThrottleReasonCodes.FromCode(code) ?? throw new InvalidDataException($"Unknown throttle reason '{code}' in the database."),
                OptionalDouble(reader, at + 8), OptionalDouble(reader, at + 9), OptionalDouble(reader, at + 10), OptionalDouble(reader, at + 11));
        }

        return new RolloutInFlight(reader.GetInt32(at), mode, reader.GetInt32(at + 2), reader.GetInt32(at + 3), change);
    }

    private static double? OptionalDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
