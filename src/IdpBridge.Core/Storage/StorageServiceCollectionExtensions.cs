using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers IdpBridge's storage (part of <see cref="CoreServiceCollectionExtensions.AddIdpBridgeCore"/>).</summary>
internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the database chosen by the <c>IdpBridge:Storage</c> section (<see cref="IdpBridgeStorageOptions"/>,
    /// validated at start-up): <see cref="IStoreDatabase"/>, <see cref="IStoreHealth"/> and every store over it
    /// (<see cref="IPolicyStore"/>, <see cref="IRolloutStore"/>, <see cref="IAcceptanceLedger"/>) as singletons, and a
    /// hosted service that migrates the schema when the host starts.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgeStorage(
        this IServiceCollection services, Action<IdpBridgeStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<IdpBridgeStorageOptions>, IdpBridgeStorageOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdpBridgeStorageOptions>, IdpBridgeStorageOptionsValidator>());
        var options = services.AddOptions<IdpBridgeStorageOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<IStoreDatabase>(static provider =>
        {
            var settings = provider.GetRequiredService<IOptions<IdpBridgeStorageOptions>>().Value;
            var retentionDays = provider.GetRequiredService<IOptions<LedgerOptions>>().Value.RetentionDays;
            return settings.Provider switch
            {
                StorageProvider.PostgreSql => new PostgresDatabase(settings.ConnectionString, settings.OwnerConnectionString, retentionDays),
                _ => new SqliteDatabase(settings.SqlitePath, retentionDays),
            };
        });
        services.TryAddSingleton<IStoreHealth>(static provider => provider.GetRequiredService<IStoreDatabase>());
        services.TryAddSingleton<IAdoDatabase>(static provider => (IAdoDatabase)provider.GetRequiredService<IStoreDatabase>());
        services.TryAddSingleton<IPolicyStore>(static provider => new AdoPolicyStore(provider.GetRequiredService<IAdoDatabase>()));
        services.TryAddSingleton<IRolloutStore>(static provider => new AdoRolloutStore(provider.GetRequiredService<IAdoDatabase>()));
        services.TryAddSingleton<IAcceptanceLedger>(static provider => new AdoAcceptanceLedger(provider.GetRequiredService<IAdoDatabase>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StorageStartup>());
        return services;
    }
}
