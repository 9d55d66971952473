using System.ComponentModel.DataAnnotations;
using IdpBridge.Keycloak;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// How rollouts run. Bound from <c>IdpBridge:Rollouts</c> (environment <c>IdpBridge__Rollouts__PageSize</c>, ...),
/// validated at start-up (<see cref="RolloutOptionsValidator"/>). Durations are written <c>hh:mm:ss</c>.
/// </summary>
/// <remarks>
/// How hard a rollout presses on Keycloak is set where every Admin API request passes:
/// <c>IdpBridge:Keycloak:MaxInFlight</c> and <c>IdpBridge:Keycloak:MaxRequestsPerSecond</c>.
/// </remarks>
public sealed class RolloutOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Rollouts";

    /// <summary>Users per list request (Keycloak's <c>max</c>), 10 to 1000. Default 100.</summary>
    [SettingRange(10, 1000, ErrorMessage = $"{SectionName}:PageSize must be between 10 and 1000.")]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How long an executor's claim on a rollout holds without renewal (it renews at every page and every third of
    /// this). After a crash on another machine, another executor takes over once it expires. At least 3 seconds.
    /// Default 1 minute (<c>00:01:00</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:03", OptionsLimits.NoLimit, ErrorMessage = $"{SectionName}:LeaseDuration must be at least 3 seconds.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Pages read ahead of the one being written, so the requests in flight never run dry, and page requests a walk
    /// keeps in flight beyond the one it waits for, so the closing sweep (and a scan whose users are mostly done) is
    /// not one page read after another; 1 to 16. Default 2.
    /// </summary>
    [SettingRange(1, 16, ErrorMessage = $"{SectionName}:PagesAhead must be between 1 and 16.")]
    public int PagesAhead { get; set; } = 2;

    /// <summary>
    /// Whether the service starts the rollout of a material version (number 2 and later) of the terms policy by itself
    /// once the version takes effect, and resumes interrupted rollouts. Default true.
    /// </summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>
    /// How often the service looks for versions that took effect and rollouts without an executor, at least 1 second.
    /// Default 30 seconds (<c>00:00:30</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", OptionsLimits.NoLimit, ErrorMessage = $"{SectionName}:WorkerInterval must be at least 1 second.")]
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromSeconds(30);
}
