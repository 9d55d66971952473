using System.ComponentModel.DataAnnotations;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The rules between the resilience pipeline's settings that Microsoft's standard resilience handler holds its own
/// to (its <c>HttpStandardResilienceOptions</c> validator), checked at start-up with the other settings
/// (<see cref="KeycloakOptions"/>): the pipeline is assembled by hand
/// (<see cref="Microsoft.Extensions.DependencyInjection.KeycloakServiceCollectionExtensions"/>), so nothing else would
/// refuse a combination the standard handler refuses. Each setting's own range (Polly's) is an attribute on it.
/// </summary>
internal static class ResilienceRules
{
    /// <summary>The standard handler's factor between an attempt's timeout and the circuit breaker's window.</summary>
    private const int SamplingPerAttempt = 2;

    /// <summary>What is wrong between the settings, each message naming both; empty when nothing is.</summary>
    public static IEnumerable<ValidationResult> Check(KeycloakOptions options)
    {
        const string prefix = KeycloakOptions.SectionName + ":";
        if (options.TotalTimeout < options.AttemptTimeout)
        {
            yield return new ValidationResult(
                $"{prefix}TotalTimeout ({options.TotalTimeout}) must be at least {prefix}AttemptTimeout ({options.AttemptTimeout}): " +
                "it covers every attempt of a call.",
                [nameof(KeycloakOptions.TotalTimeout)]);
        }

        if (options.CircuitBreakerSamplingDuration < options.AttemptTimeout * SamplingPerAttempt)
        {
            yield return new ValidationResult(
                $"{prefix}CircuitBreakerSamplingDuration ({options.CircuitBreakerSamplingDuration}) must be at least double " +
                $"{prefix}AttemptTimeout ({options.AttemptTimeout}): a shorter window closes before an attempt that timed out is counted in it.",
                [nameof(KeycloakOptions.CircuitBreakerSamplingDuration)]);
        }
    }
}
