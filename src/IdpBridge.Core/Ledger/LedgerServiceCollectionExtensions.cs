using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the acceptance ledger (part of <see cref="CoreServiceCollectionExtensions.AddIdpBridgeCore"/>).</summary>
internal static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LedgerSync"/>, <see cref="LedgerReport"/> and <see cref="LedgerVerifier"/>, with <see cref="LedgerOptions"/> from
    /// <c>IdpBridge:Ledger</c>, validated at start-up (the ledger's store comes with the storage).
    /// Needs the Keycloak client, the storage and the policies registered too. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgeLedger(this IServiceCollection services, Action<LedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());
        var options = services.AddOptions<LedgerOptions>()
            .BindSectionWhenConfigured(LedgerOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddTransient<LedgerSync>();
        services.TryAddTransient<LedgerReport>();
        services.TryAddSingleton(static provider => new LedgerVerifier(provider.GetRequiredService<IAdoDatabase>(), provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
