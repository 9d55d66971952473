namespace IdpBridge.Core.Rollouts;

/// <summary>How rollouts run. Bound from <c>IdpBridge:Rollouts</c> (environment <c>IdpBridge__Rollouts__PageSize</c>, ...).</summary>
/// <remarks>
/// How hard a rollout presses on Keycloak is set where every Admin API request passes:
/// <c>IdpBridge:Keycloak:MaxInFlight</c> and <c>IdpBridge:Keycloak:MaxRequestsPerSecond</c>.
/// </remarks>
public sealed class RolloutOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Rollouts";

    /// <summary>Users per list request (Keycloak's <c>max</c>). Default 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How long an executor's claim on a rollout holds without renewal (it renews at every page and every third of
    /// this). After a crash on another machine, another executor takes over once it expires. Default 1 minute.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pages read ahead of the one being written, so the requests in flight never run dry. Default 2.</summary>
    public int PagesAhead { get; set; } = 2;

    /// <summary>
    /// Whether the service starts the rollout of a material version (number 2 and later) of the terms policy by itself
    /// once the version takes effect, and resumes interrupted rollouts. Default true.
    /// </summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>How often the service looks for versions that took effect and rollouts without an executor. Default 30 seconds.</summary>
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromSeconds(30);
}
