using IdpBridge.Core.Policies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers policy publishing and the Keycloak terms-step sync (part of
/// <see cref="CoreServiceCollectionExtensions.AddIdpBridgeCore"/>).
/// </summary>
internal static class PolicyServiceCollectionExtensions
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>());
        services.AddOptions<PolicyOptions>()
            .BindSectionWhenConfigured(PolicyOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddTransient<TermsTextSync>();
        services.TryAddTransient<BridgeAttributeSync>();
        services.TryAddTransient<PolicyPublisher>();
        return services;
    }
}
