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

    private const string Fix = "Change the realm's events settings " +
        "(admin console: Realm settings → Events; or the realm config's eventsEnabled, enabledEventTypes, eventsExpiration, then realm apply).";

    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot)
    {
        var events = snapshot.Events;
        if (events.EventsEnabled == true)
        {
            var types = events.EnabledEventTypes ?? [];
            if (types.Count == 0)
            {
                yield return Finding(
                    "events.all-types", "events.enabledEventTypes",
                    "No event type is listed, so Keycloak stores its whole default set (token refreshes, code exchanges, profile updates, ...), each with user, client and IP.",
                    $"List only the types the record needs: {string.Join(", ", RecordTypes.Order(StringComparer.Ordinal))}. {Fix}");
            }
            else
            {
                var extra = types.Where(type => !RecordTypes.Contains(type) && !SecurityTypes.Contains(type)).Order(StringComparer.Ordinal).ToList();
                if (extra.Count > 0)
                {
                    yield return Finding(
                        "events.extra-types", "events.enabledEventTypes",
                        $"Stores event types the acceptance record does not need: {string.Join(", ", extra)}.",
                        $"Remove them from enabledEventTypes. {Fix}");
                }

                var security = types.Where(SecurityTypes.Contains).Order(StringComparer.Ordinal).ToList();
                if (security.Count > 0)
                {
                    yield return new AuditFinding(
                        "events.security-types", AuditSeverity.Informational, AuditChecks.Events, "events.enabledEventTypes",
                        $"Stores {string.Join(" and ", security)}: a security record of failed attempts (user, client, IP), not needed by the acceptance record.",
                        "Keep them for as long as your security policy says; nothing to do for minimisation.");
                }
            }

            if (Expiration(events.EventsExpiration) is { } expiration)
            {
                yield return expiration;
            }
        }

        if (events.AdminEventsEnabled == true)
        {
            yield return events.AdminEventsDetailsEnabled == true
                ? Finding(
                    "events.admin-representations", "events.adminEventsDetailsEnabled",
                    $"Admin events include the representation of what changed: each user an administrator or IdpBridge writes is copied whole " +
                        $"(name, email, attributes) into the admin event store{AdminExpiration(snapshot)}.",
                    $"Turn off 'Include representation' (adminEventsDetailsEnabled false). {Fix}")
                : new AuditFinding(
                    "events.admin-events", AuditSeverity.Informational, AuditChecks.Events, "events.adminEventsEnabled",
                    $"Admin events are kept without representations (who changed what, when, from which IP){AdminExpiration(snapshot)}.",
                    "Nothing to do for minimisation.");
        }
    }

    private static AuditFinding? Expiration(long? seconds) => seconds switch
    {
        null or <= 0 => Finding(
            "events.kept-forever", "events.eventsExpiration",
            "Events never expire: every stored sign-in (user, client, IP) is kept forever. " +
                "IdpBridge's record keeps its own copy of each decision, so Keycloak's events need only outlive the next sync.",
            $"Set eventsExpiration, in seconds (the demo realm keeps 31536000, a year). {Fix}"),
        _ when TimeSpan.FromSeconds(seconds.Value) > MaxExpiration => Finding(
            "events.kept-long", "events.eventsExpiration",
            $"Events are kept {Days(seconds.Value)} days, more than {MaxExpiration.TotalDays:0}; IdpBridge's record keeps its own copy of each decision.",
            $"Lower eventsExpiration to at most {(long)MaxExpiration.TotalSeconds} seconds. {Fix}"),
        _ => null,
    };

    private static string AdminExpiration(RealmSnapshot snapshot) =>
        long.TryParse(snapshot.RealmAttribute("adminEventsExpiration"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? $", for {Days(seconds)} days"
            : ", forever (no adminEventsExpiration)";

    private static string Days(long seconds) => (seconds / 86400d).ToString("0.#", CultureInfo.InvariantCulture);

    private static AuditFinding Finding(string code, string where, string what, string fix) =>
        new(code, AuditSeverity.Finding, AuditChecks.Events, where, what, fix);
}
