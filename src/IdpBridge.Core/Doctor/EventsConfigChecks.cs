using System.Globalization;
using IdpBridge.Core.Ledger;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Doctor;

/// <summary>The realm stores the events the acceptance ledger reads, and deletes them neither too soon nor never.</summary>
internal static class EventsConfigChecks
{
    /// <summary>Below this, a daily <c>ledger sync</c> would miss events (the service syncs every minute by default).</summary>
    public static TimeSpan ShortestExpiration { get; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Events on with every type of <see cref="AcceptanceEvents.Types"/> (an empty type list stores all types), and an
    /// expiration between <see cref="ShortestExpiration"/> and the audit's <see cref="Audit.EventsChecks.MaxExpiration"/>.
    /// </summary>
    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        Keycloak.Events.RealmEventsConfigRepresentation config;
        try
        {
            config = await run.Keycloak.GetEventsConfigAsync(run.Realm, cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception)
        {
            run.Add(run.Refused("events", exception));
            return;
        }

        var needed = string.Join(", ", AcceptanceEvents.Types);
        if (config.EventsEnabled != true)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.EventsOff, DoctorStatus.Problem, ("needed", needed)));
            return;
        }

        var stored = config.EnabledEventTypes ?? [];
        var missing = stored.Count == 0 ? [] : AcceptanceEvents.Types.Except(stored, StringComparer.Ordinal).ToList();
        long? expiration = config.EventsExpiration is > 0 ? config.EventsExpiration : null;
        run.Add(missing.Count > 0
            ? DoctorFinding.Of(DoctorCodes.EventsTypesMissing, DoctorStatus.Problem, [("missing", string.Join(", ", missing))])
            : DoctorFinding.Of(
                DoctorCodes.EventsReady,
                DoctorStatus.Ok,
                ("types", stored.Count == 0 ? "all" : needed),
                ("expiration", expiration?.ToString(CultureInfo.InvariantCulture))));

        var longest = (long)Audit.EventsChecks.MaxExpiration.TotalSeconds;
        if (expiration is not { } kept)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.EventsKeptForever, DoctorStatus.Warning, ("max", Seconds(longest))));
        }
        else if (kept > longest)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.EventsKeptLong, DoctorStatus.Warning, ("expiration", Seconds(kept)), ("max", Seconds(longest))));
        }
        else if (kept < ShortestExpiration.TotalSeconds)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.EventsExpireSoon, DoctorStatus.Warning, ("expiration", Seconds(kept))));
        }
    }

    private static string Seconds(long value) => value.ToString(CultureInfo.InvariantCulture);
}
