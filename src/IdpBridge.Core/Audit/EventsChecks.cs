using System.Globalization;

namespace IdpBridge.Core.Audit;

/// <summary>
/// What the realm's events keep, against what the acceptance record needs. The record reads <c>CUSTOM_REQUIRED_ACTION</c>,
/// <c>CUSTOM_REQUIRED_ACTION_ERROR</c>, <c>REGISTER</c> and <c>LOGIN</c> (each carries the user, client and IP); the
/// failed sign-ins and registrations are a security record, worth keeping but not needed. Any other type, every type
/// (an empty list keeps Keycloak's whole default set), events kept more than a year or forever, and admin events that
/// keep each changed representation (a user's whole profile) keep more than the record needs.
/// </summary>
internal static class EventsChecks
{
    /// <summary>The event types the acceptance record reads.</summary>
    public static IReadOnlySet<string> RecordTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR", "REGISTER", "LOGIN",
    };

    /// <summary>Failed sign-ins and registrations: a security record, informational.</summary>
    public static IReadOnlySet<string> SecurityTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "LOGIN_ERROR", "REGISTER_ERROR" };

    /// <summary>The longest time events may be kept without a finding: 365 days, the demo realm's setting.</summary>
    public static TimeSpan MaxExpiration { get; } = TimeSpan.FromDays(365);

    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot)
    {
        var events = snapshot.Events;
        if (events.EventsEnabled == true)
        {
            var types = events.EnabledEventTypes ?? [];
            if (types.Count == 0)
            {
                yield return Finding(AuditCodes.EventsAllTypes, "events.enabledEventTypes", ("recordTypes", RecordTypes.Order(StringComparer.Ordinal).ToList()));
            }
            else
            {
                var extra = types.Where(type => !RecordTypes.Contains(type) && !SecurityTypes.Contains(type)).Order(StringComparer.Ordinal).ToList();
                if (extra.Count > 0)
                {
                    yield return Finding(AuditCodes.EventsExtraTypes, "events.enabledEventTypes", ("types", extra));
                }

                var security = types.Where(SecurityTypes.Contains).Order(StringComparer.Ordinal).ToList();
                if (security.Count > 0)
                {
                    yield return AuditFinding.Of(
                        AuditCodes.EventsSecurityTypes, AuditSeverity.Informational, AuditChecks.Events, "events.enabledEventTypes", ("types", security));
                }
            }

            if (Expiration(events.EventsExpiration) is { } expiration)
            {
                yield return expiration;
            }
        }

        if (events.AdminEventsEnabled == true)
        {
            var adminExpiration = ("adminExpiration", (object?)AdminExpiration(snapshot));
            yield return events.AdminEventsDetailsEnabled == true
                ? Finding(AuditCodes.EventsAdminRepresentations, "events.adminEventsDetailsEnabled", adminExpiration)
                : AuditFinding.Of(AuditCodes.EventsAdminEvents, AuditSeverity.Informational, AuditChecks.Events, "events.adminEventsEnabled", adminExpiration);
        }
    }

    private static AuditFinding? Expiration(long? seconds) => seconds switch
    {
        null or <= 0 => Finding(AuditCodes.EventsKeptForever, "events.eventsExpiration", ("max", (long)MaxExpiration.TotalSeconds)),
        _ when TimeSpan.FromSeconds(seconds.Value) > MaxExpiration => Finding(
            AuditCodes.EventsKeptLong, "events.eventsExpiration", ("expiration", seconds.Value), ("max", (long)MaxExpiration.TotalSeconds)),
        _ => null,
    };

    /// <summary>How long admin events are kept, in seconds; null: forever.</summary>
    private static long? AdminExpiration(RealmSnapshot snapshot) =>
        long.TryParse(snapshot.RealmAttribute("adminEventsExpiration"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : null;

    private static AuditFinding Finding(string code, string where, params (string Name, object? Value)[] facts) =>
        AuditFinding.Of(code, AuditSeverity.Finding, AuditChecks.Events, where, facts);
}
