using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers re-acceptance rollouts (part of <see cref="CoreServiceCollectionExtensions.AddIdpBridgeCore"/>).</summary>
internal static class RolloutServiceCollectionExtensions
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RolloutOptions>, RolloutOptionsValidator>());
        var options = services.AddOptions<RolloutOptions>()
            .BindSectionWhenConfigured(RolloutOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddIdpBridgePolicies();
        services.TryAddTransient<RolloutService>();
        services.TryAddTransient<RolloutRunner>();
        services.TryAddTransient<RolloutRetry>();
        services.TryAddTransient<RolloutExemptions>();
        return services;
    }
}
