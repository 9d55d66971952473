using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdpBridge.Service.Health;

/// <summary>
/// The last answer to "does Keycloak answer?", reused for a few seconds: every load balancer and orchestrator probes
/// <c>/health/ready</c> on its own schedule, and a probe that costs an Admin API call each time adds load to Keycloak
/// (and, during an outage, a retried call per probe).
/// </summary>
internal sealed class KeycloakReadiness(TimeProvider time)
{
    /// <summary>How long an answer is reused.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly Lock sync = new();
    private (Task<HealthCheckResult> Answer, DateTimeOffset AskedAt)? last;

    /// <summary>The answer of <paramref name="ask"/> started less than <see cref="Freshness"/> ago, else a new one.</summary>
    public Task<HealthCheckResult> GetAsync(Func<Task<HealthCheckResult>> ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var now = time.GetUtcNow();
        lock (sync)
        {
            if (last is { } answer && now - answer.AskedAt < Freshness)
            {
                return answer.Answer;
            }

            var asked = ask();
            last = (asked, now);
            return asked;
        }
    }
}
