using IdpBridge.Core.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers policy publishing and the Keycloak terms-step sync.</summary>
public static class PolicyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PolicyPublisher"/> and <see cref="TermsTextSync"/> with <see cref="PolicyOptions"/> from
    /// <c>IdpBridge:Policies</c>, validated at start-up. Needs the Keycloak client and the storage registered too.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgePolicies(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PolicyOptions>()
            .BindSectionWhenConfigured(PolicyOptions.SectionName)
            .Validate(options => options.PublicBaseUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" } && string.IsNullOrEmpty(options.PublicBaseUrl.Query),
                $"{PolicyOptions.SectionName}:PublicBaseUrl must be an absolute http(s) URL without a query.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.TermsPolicy), $"{PolicyOptions.SectionName}:TermsPolicy must name a policy.")
            .Validate(options => TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _), $"{PolicyOptions.SectionName}:TimeZone must be an IANA time zone such as America/Argentina/Buenos_Aires.")
            .ValidateOnStart();
        services.TryAddTransient<TermsTextSync>();
        services.TryAddTransient<PolicyPublisher>();
        return services;
    }
}
