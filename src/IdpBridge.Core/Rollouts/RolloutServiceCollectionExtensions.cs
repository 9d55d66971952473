using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers re-acceptance rollouts.</summary>
public static class RolloutServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RolloutService"/>, <see cref="RolloutRunner"/>, <see cref="RolloutRetry"/> and <see cref="RolloutExemptions"/> with <see cref="RolloutOptions"/> from
    /// <c>IdpBridge:Rollouts</c>, validated at start-up. Needs the Keycloak client and the storage registered too.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgeRollouts(this IServiceCollection services, Action<RolloutOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<RolloutOptions>()
            .BindSectionWhenConfigured(RolloutOptions.SectionName)
            .Validate(options => options.PageSize is >= 10 and <= 1000, $"{RolloutOptions.SectionName}:PageSize must be between 10 and 1000.")
            .Validate(options => options.LeaseDuration >= TimeSpan.FromSeconds(3), $"{RolloutOptions.SectionName}:LeaseDuration must be at least 3 seconds.")
            .Validate(options => options.PagesAhead is >= 1 and <= 16, $"{RolloutOptions.SectionName}:PagesAhead must be between 1 and 16.")
            .Validate(options => options.WorkerInterval >= TimeSpan.FromSeconds(1), $"{RolloutOptions.SectionName}:WorkerInterval must be at least 1 second.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddTransient<RolloutService>();
        services.TryAddTransient<RolloutRunner>();
        services.TryAddTransient<RolloutRetry>();
        services.TryAddTransient<RolloutExemptions>();
        return services;
    }
}
