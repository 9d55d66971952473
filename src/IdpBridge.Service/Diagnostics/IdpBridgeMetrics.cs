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
    }

    /// <summary>Admin API calls refused, tagged with <c>status</c>.</summary>
    public Counter<long> AdminRequestsRejected { get; }

    public void Dispose() => meter.Dispose();
}
