using System.ComponentModel.DataAnnotations;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Ledger;

/// <summary>How Keycloak's event list is paged.</summary>
public enum EventsQueryMode
{
    /// <summary>
    /// Every 26.x server: <c>dateFrom=yyyy-MM-dd</c> (a whole day, read again from one day before the watermark
    /// less the overlap: 26.7.3 reads the day in UTC, an older server may read it in its own time zone), newest first, offset pages that
    /// overlap.
    /// </summary>
    Day,

    /// <summary>Keycloak 26.4 and later: <c>dateFrom</c> in epoch milliseconds and <c>direction=asc</c>, a moving time cursor.</summary>
    Millis,
}

/// <summary>
/// The acceptance ledger's settings. Bound from <c>IdpBridge:Ledger</c> (environment <c>IdpBridge__Ledger__SyncInterval</c>, ...),
/// validated at start-up (<see cref="LedgerOptionsValidator"/>). Durations are written <c>hh:mm:ss</c>.
/// </summary>
public sealed class LedgerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Ledger";

    /// <summary><c>Day</c> (default, any 26.x) or <c>Millis</c> (Keycloak 26.4+): how events are queried.</summary>
    [EnumDataType(typeof(EventsQueryMode), ErrorMessage = $"{SectionName}:EventsQuery must be Day or Millis.")]
    public EventsQueryMode EventsQuery { get; set; } = EventsQueryMode.Day;

    /// <summary>Events per request (<c>max</c>), 10 to 10000. Default 500.</summary>
    [SettingRange(10, 10_000, ErrorMessage = $"{SectionName}:PageSize must be between 10 and 10000.")]
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// How far behind the watermark each sync reads again, for events Keycloak stores after later ones (its event time
    /// is taken before the transaction commits), not negative. Default 10 minutes (<c>00:10:00</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", OptionsLimits.NoLimit, ErrorMessage = $"{SectionName}:Overlap must not be negative.")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the service syncs its realm. Default 1 minute (<c>00:01:00</c>); zero turns the service's sync off.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", OptionsLimits.NoLimit, ErrorMessage = $"{SectionName}:SyncInterval must not be negative (zero turns the sync off).")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a <c>REGISTER</c> event is an acceptance: true only when the realm's registration flow has Keycloak's
    /// "Terms and conditions" execution (the checkbox). The event does not say whether the checkbox was shown, so
    /// the default is false; the acceptance time such a user gets is then reconciled from the timestamp.
    /// </summary>
    public bool RegistrationAcceptsTerms { get; set; }

    /// <summary>
    /// Days records are kept; 0 (default) keeps them forever. When set, the service prunes older records once a day,
    /// and each prune is itself recorded (<c>ledger_prunes</c>).
    /// </summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = $"{SectionName}:RetentionDays must be 0 (keep forever) or a number of days.")]
    public int RetentionDays { get; set; }
}
