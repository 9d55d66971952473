namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The rules Polly and Microsoft's standard resilience handler hold the pipeline's settings to, checked at start-up:
/// the pipeline is assembled by hand (<see cref="Microsoft.Extensions.DependencyInjection.KeycloakServiceCollectionExtensions"/>),
/// so nothing else would refuse a combination that the standard handler's validator refuses, and Polly's own checks
/// would only fire at the first request.
/// </summary>
internal static class ResilienceRules
{
    /// <summary>Polly's range for a timeout strategy.</summary>
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>Polly's range for a circuit breaker's sampling window.</summary>
    private static readonly TimeSpan MinimumSamplingDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Polly's upper bound for every one of these durations.</summary>
    private static readonly TimeSpan Maximum = TimeSpan.FromDays(1);

    /// <summary>The standard handler's factor between an attempt's timeout and the circuit breaker's window.</summary>
    private const int SamplingPerAttempt = 2;

    /// <summary>What is wrong with the pipeline's settings, each message naming the settings involved; empty when nothing is.</summary>
    public static IEnumerable<string> Check(KeycloakOptions options)
    {
        const string prefix = KeycloakOptions.SectionName + ":";
        if (options.AttemptTimeout < MinimumTimeout || options.AttemptTimeout > Maximum)
        {
            yield return $"{prefix}AttemptTimeout must be between 10 milliseconds and 1 day, not {options.AttemptTimeout}.";
        }

        if (options.TotalTimeout < MinimumTimeout || options.TotalTimeout > Maximum)
        {
            yield return $"{prefix}TotalTimeout must be between 10 milliseconds and 1 day, not {options.TotalTimeout}.";
        }
        else if (options.TotalTimeout < options.AttemptTimeout)
        {
            yield return $"{prefix}TotalTimeout ({options.TotalTimeout}) must be at least {prefix}AttemptTimeout " +
                $"({options.AttemptTimeout}): it covers every attempt of a call.";
        }

        if (options.CircuitBreakerSamplingDuration < MinimumSamplingDuration || options.CircuitBreakerSamplingDuration > Maximum)
        {
            yield return $"{prefix}CircuitBreakerSamplingDuration must be between 0.5 seconds and 1 day, not {options.CircuitBreakerSamplingDuration}.";
        }
        else if (options.CircuitBreakerSamplingDuration < options.AttemptTimeout * SamplingPerAttempt)
        {
            yield return $"{prefix}CircuitBreakerSamplingDuration ({options.CircuitBreakerSamplingDuration}) must be at least double " +
                $"{prefix}AttemptTimeout ({options.AttemptTimeout}): a shorter window closes before an attempt that timed out is counted in it.";
        }

        if (options.RetryBaseDelay > Maximum)
        {
            yield return $"{prefix}RetryBaseDelay must be at most 1 day, not {options.RetryBaseDelay}.";
        }
    }
}
