using System.Diagnostics.Metrics;

namespace IdpBridge.Service.Diagnostics;

/// <summary>
/// The service's own meter, <c>IdpBridge.Service</c>, beside ASP.NET Core's built-in ones (requests, durations):
/// read them with <c>dotnet-counters monitor -n IdpBridge.Service --counters IdpBridge.Service,Microsoft.AspNetCore.Hosting</c>
/// or any OpenTelemetry exporter.
/// </summary>
internal sealed class IdpBridgeMetrics : IDisposable
{
    public const string MeterName = "IdpBridge.Service";

    private readonly Meter meter;

    public IdpBridgeMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        AdminRequestsRejected = meter.CreateCounter<long>("idpbridge.admin.rejected", description: "Admin API calls refused (401 or 403).");
        RolloutUsersMarked = meter.CreateCounter<long>(
            "idpbridge.rollout.users.marked", unit: "{user}", description: "Users given TERMS_AND_CONDITIONS by the service's rollouts.");
        RolloutRuns = meter.CreateCounter<long>(
            "idpbridge.rollout.runs", unit: "{run}", description: "Rollout runs by the service, by how they ended.");
    }

    /// <summary>Admin API calls refused, tagged with <c>status</c>.</summary>
    public Counter<long> AdminRequestsRejected { get; }

    /// <summary>Users marked by rollouts this service ran, tagged with <c>realm</c> and <c>policy</c>.</summary>
    public Counter<long> RolloutUsersMarked { get; }

    /// <summary>
    /// Rollout runs, tagged with <c>end</c>: completed, cancelled, interrupted, busy (another replica runs it),
    /// leaselost, notrunning.
    /// </summary>
    public Counter<long> RolloutRuns { get; }

    public void Dispose() => meter.Dispose();
}
