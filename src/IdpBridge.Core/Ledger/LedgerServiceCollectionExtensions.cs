using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the acceptance ledger.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IAcceptanceLedger"/> (on the database of <c>IdpBridge:Storage</c>), <see cref="LedgerSync"/> and
    /// <see cref="LedgerReport"/>, with <see cref="LedgerOptions"/> from <c>IdpBridge:Ledger</c>, validated at start-up.
    /// Needs the Keycloak client, the storage and the policies registered too. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgeLedger(this IServiceCollection services, Action<LedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());
        var options = services.AddOptions<LedgerOptions>()
            .BindSectionWhenConfigured(LedgerOptions.SectionName)
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<IAcceptanceLedger>(static provider => provider.GetRequiredService<IStoreDatabase>() switch
        {
            SqliteDatabase sqlite => new SqliteAcceptanceLedger(sqlite),
            PostgresDatabase postgres => new PostgresAcceptanceLedger(postgres),
            var other => throw new InvalidOperationException($"No acceptance ledger for {other.Provider}."),
        });
        services.TryAddTransient<LedgerSync>();
        services.TryAddTransient<LedgerReport>();
        return services;
    }
}
