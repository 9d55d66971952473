using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers proofs of acceptance (part of <see cref="CoreServiceCollectionExtensions.AddIdpBridgeCore"/>).</summary>
internal static class ProofServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AcceptanceProofIssuer"/> and <see cref="ProofSigningKey"/>, with <see cref="ProofOptions"/> from
    /// <c>IdpBridge:Proof</c>, validated at start-up. Needs the ledger and the policies registered too. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddIdpBridgeProofs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProofOptions>, ProofOptionsValidator>());
        services.AddOptions<ProofOptions>().BindSectionWhenConfigured(ProofOptions.SectionName, static (section, options) => section.Bind(options)).ValidateOnStart();
        services.TryAddSingleton<ProofSigningKey>();
        services.TryAddTransient(static provider => new AcceptanceProofIssuer(
            provider.GetRequiredService<IAcceptanceLedger>(),
            provider.GetRequiredService<IPolicyStore>(),
            provider.GetRequiredService<IOptions<PolicyOptions>>(),
            provider.GetRequiredService<LedgerVerifier>(),
            new ProofRecordReader(provider.GetRequiredService<IAdoDatabase>()),
            provider.GetRequiredService<ProofSigningKey>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
