using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class PathEscapingTests
{
    [TestCase("a/b", "a%2Fb")]
    [TestCase("mi reino", "mi%20reino")]
    [TestCase("señal-ñandú", "se%C3%B1al-%C3%B1and%C3%BA")]
    [TestCase("100%", "100%25")]
    public async Task FindRealm_AwkwardRealmName_IsEscapedAsOneSegment(string name, string escaped)
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm(name);

        var realm = await harness.Client.FindRealmAsync(name);
        var count = await harness.Client.CountUsersAsync(name);

        Assert.Multiple(() =>
        {
            Assert.That(realm?.Realm, Is.EqualTo(name));
            Assert.That(count, Is.Zero);
            Assert.That(harness.AdminRequests.Select(request => request.RawPath), Is.EqualTo(new[]
            {
                $"/admin/realms/{escaped}",
                $"/admin/realms/{escaped}/users/count",
            }));
        });
    }

    [Test]
    public async Task FindIdentityProvider_AliasWithSlashAndSpace_ReachesThatProvider()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");
        await harness.Client.CreateIdentityProviderAsync("shop", new() { Alias = "corp/sso ñ", ProviderId = "oidc", Config = new Dictionary<string, string>() });

        var provider = await harness.Client.FindIdentityProviderAsync("shop", "corp/sso ñ");

        Assert.Multiple(() =>
        {
            Assert.That(provider?.Alias, Is.EqualTo("corp/sso ñ"));
            Assert.That(harness.AdminRequests[^1].RawPath, Is.EqualTo("/admin/realms/shop/identity-provider/instances/corp%2Fsso%20%C3%B1"));
        });
    }

    [Test]
    public async Task Client_LegacyAuthPrefix_ReachesAdminAndTokenEndpointsUnderIt()
    {
        using var harness = ClientHarness.Start(new SimulatorOptions { PathPrefix = "/auth" });

        var realm = await harness.Client.FindRealmAsync("master");

        Assert.Multiple(() =>
        {
            Assert.That(harness.Simulator.Url, Does.EndWith("/auth"));
            Assert.That(realm?.Realm, Is.EqualTo("master"));
            Assert.That(harness.Simulator.Requests.Select(request => request.RawPath), Is.EqualTo(new[]
            {
                "/auth/realms/master/protocol/openid-connect/token",
                "/auth/admin/realms/master",
            }));
        });
    }
}
