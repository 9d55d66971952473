using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Realms;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Core.Tests;

/// <summary>AddIdpBridgeCore: everything the service and the CLI use from Core, once however often it is called.</summary>
public sealed class CoreServiceCollectionTests
{
    [Test]
    public void AddIdpBridgeCore_CalledTwice_RegistersEachServiceOnceAndReturnsTheServices()
    {
        // Arrange
        var services = new ServiceCollection();

        // Act
        var returned = services.AddIdpBridgeCore().AddIdpBridgeCore();

        // Assert
        Assert.That(returned, Is.SameAs(services));
        Type[] once =
        [
            typeof(IStoreDatabase), typeof(IStoreHealth), typeof(IPolicyStore), typeof(IRolloutStore), typeof(IAcceptanceLedger),
            typeof(PolicyPublisher), typeof(TermsTextSync), typeof(RolloutService), typeof(RolloutRunner), typeof(LedgerSync),
            typeof(LedgerReport), typeof(RealmProvisioner), typeof(IHostedService),
            typeof(IValidateOptions<IdpBridgeStorageOptions>), typeof(IValidateOptions<PolicyOptions>),
            typeof(IValidateOptions<RolloutOptions>), typeof(IValidateOptions<LedgerOptions>),
        ];
        Assert.Multiple(() =>
        {
            foreach (var type in once)
            {
                Assert.That(services.Count(descriptor => descriptor.ServiceType == type), Is.EqualTo(1), type.Name);
            }
        });
    }
}
