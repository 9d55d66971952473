using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Realms;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers IdpBridge.Core: what the service and the CLI use.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the database chosen by <c>IdpBridge:Storage</c> (<see cref="IStoreDatabase"/>, <see cref="IStoreHealth"/>)
    /// with its stores (<see cref="IPolicyStore"/>, <see cref="IRolloutStore"/>, <see cref="IAcceptanceLedger"/>) and a
    /// hosted service that migrates it when the host starts; <see cref="PolicyPublisher"/> and <see cref="TermsTextSync"/>
    /// (<c>IdpBridge:Policies</c>); <see cref="RolloutService"/>, <see cref="RolloutRunner"/>, <see cref="RolloutRetry"/>
    /// and <see cref="RolloutExemptions"/> (<c>IdpBridge:Rollouts</c>); <see cref="LedgerSync"/> and
    /// <see cref="LedgerReport"/> (<c>IdpBridge:Ledger</c>); <see cref="IdpBridge.Core.Ledger.Proof.AcceptanceProofIssuer"/>
    /// (<c>IdpBridge:Proof</c>); <see cref="RealmProvisioner"/> (<c>IdpBridge:Provisioning</c>). Each options class is
    /// bound from its section when there is configuration and validated at start-up. Needs the Keycloak client
    /// (<c>AddKeycloakAdminClient</c>). Safe to call twice. Returns <paramref name="services"/> so calls can chain.
    /// </summary>
    public static IServiceCollection AddIdpBridgeCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddIdpBridgeStorage();
        services.AddIdpBridgePolicies();
        services.AddIdpBridgeRollouts();
        services.AddIdpBridgeLedger();
        services.AddIdpBridgeProofs();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProvisioningOptions>, ProvisioningOptionsValidator>());
        services.AddOptions<ProvisioningOptions>().BindSectionWhenConfigured(ProvisioningOptions.SectionName, static (section, options) => section.Bind(options)).ValidateOnStart();
        services.TryAddTransient<RealmProvisioner>();
        return services;
    }
}
