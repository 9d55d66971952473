using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Options;

/// <summary>
/// Core's options are validated at start-up by the generated validators, each message naming the setting; the
/// defaults pass. (Storage's options have their own tests, StorageServiceCollectionTests.)
/// </summary>
public sealed class OptionsValidationTests
{
    [TestCase("IdpBridge:Rollouts:PageSize", "5", "IdpBridge:Rollouts:PageSize must be between 10 and 1000.")]
    [TestCase("IdpBridge:Rollouts:LeaseDuration", "00:00:02", "IdpBridge:Rollouts:LeaseDuration must be at least 3 seconds.")]
    [TestCase("IdpBridge:Rollouts:PagesAhead", "17", "IdpBridge:Rollouts:PagesAhead must be between 1 and 16.")]
    [TestCase("IdpBridge:Rollouts:WorkerInterval", "00:00:00.500", "IdpBridge:Rollouts:WorkerInterval must be at least 1 second.")]
    public void Rollouts_ValueOutOfRange_RefusedNamingTheSetting(string key, string value, string message) =>
        AssertRefused<RolloutOptions>(key, value, message);

    [TestCase("IdpBridge:Ledger:PageSize", "9", "IdpBridge:Ledger:PageSize must be between 10 and 10000.")]
    [TestCase("IdpBridge:Ledger:Overlap", "-00:00:01", "IdpBridge:Ledger:Overlap must not be negative.")]
    [TestCase("IdpBridge:Ledger:SyncInterval", "-00:01:00", "IdpBridge:Ledger:SyncInterval must not be negative (zero turns the sync off).")]
    [TestCase("IdpBridge:Ledger:RetentionDays", "-1", "IdpBridge:Ledger:RetentionDays must be 0 (keep forever) or a number of days.")]
    public void Ledger_ValueOutOfRange_RefusedNamingTheSetting(string key, string value, string message) =>
        AssertRefused<LedgerOptions>(key, value, message);

    [TestCase("IdpBridge:Policies:PublicBaseUrl", "ftp://idp.example.org", "IdpBridge:Policies:PublicBaseUrl must be an absolute http(s) URL without a query.")]
    [TestCase("IdpBridge:Policies:TermsPolicy", " ", "IdpBridge:Policies:TermsPolicy must name a policy.")]
    [TestCase("IdpBridge:Policies:TimeZone", "Mars/Olympus_Mons", "IdpBridge:Policies:TimeZone must be an IANA time zone such as America/Argentina/Buenos_Aires.")]
    public void Policies_BadValue_RefusedNamingTheSetting(string key, string value, string message) =>
        AssertRefused<PolicyOptions>(key, value, message);

    [Test]
    public void CoreOptions_Defaults_Pass()
    {
        using var provider = Build([]);

        Assert.Multiple(() =>
        {
            Assert.DoesNotThrow(() => _ = provider.GetRequiredService<IOptions<RolloutOptions>>().Value);
            Assert.DoesNotThrow(() => _ = provider.GetRequiredService<IOptions<LedgerOptions>>().Value);
            Assert.DoesNotThrow(() => _ = provider.GetRequiredService<IOptions<PolicyOptions>>().Value);
        });
    }

    private static void AssertRefused<TOptions>(string key, string value, string message)
        where TOptions : class
    {
        using var provider = Build(new() { [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<TOptions>>().Value);

        Assert.That(exception!.Failures.Single(), Does.EndWith(message));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddIdpBridgeStorage().AddIdpBridgePolicies().AddIdpBridgeRollouts().AddIdpBridgeLedger();
        return services.BuildServiceProvider();
    }
}
