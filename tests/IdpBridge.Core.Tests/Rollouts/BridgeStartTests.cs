using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Policies;
using IdpBridge.Keycloak;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

/// <summary>A rollout start in a realm that uses the required-action bridge: no rollout, no user written, the realm current.</summary>
[TestFixture]
public sealed class BridgeStartTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private KeycloakSimulator simulator = null!;
    private SimulatedRealm realm = null!;
    private ServiceProvider services = null!;
    private PolicyTestStack stack = null!;

    [SetUp]
    public async Task Start()
    {
        stack = await PolicyTestStack.StartAsync(
            time,
            collection => collection.AddLogging().AddIdpBridgeRollouts(),
            new SimulatorOptions { InstalledRequiredActionProviders = [(RealmTermsMode.BridgeAlias, "IdpBridge terms")] });
        (simulator, realm, services) = (stack.Simulator, stack.Realm, stack.Services);
        realm.SeedUsers(25);
        await services.GetRequiredService<PolicyPublisher>().PublishAsync(Documents("v1"), new PublishRequest { Realm = "externos", Policy = "privacy" });
    }

    [TearDown]
    public void Stop() => stack.Dispose();

    [Test]
    public async Task StartOrDeliver_BridgeEnabled_WritesNoUserStartsNoRolloutAndSaysSo()
    {
        // Arrange
        var keycloak = services.GetRequiredService<KeycloakAdminClient>();
        await keycloak.RegisterRequiredActionAsync("externos", RealmTermsMode.BridgeAlias, "IdpBridge terms");
        realm.ConfigureRequiredAction(RealmTermsMode.BridgeAlias, enabled: true);
        realm.SetSetting("attributes", new System.Text.Json.Nodes.JsonObject { ["custom.owner"] = "it@example.org", ["idpbridge.terms.version"] = "0" });
        simulator.ClearRequests();

        // Act
        var outcome = await services.GetRequiredService<RolloutService>().StartOrDeliverAsync("externos", "privacy", 1, "test");

        // Assert
        var requests = simulator.Requests.Select(request => $"{request.Method} {request.Path}").ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(outcome.Rollout, Is.Null);
            Assert.That(outcome.Bridge, Is.Not.Null);
            Assert.That(outcome.Bridge!.VersionNumber, Is.EqualTo(1));
            Assert.That(outcome.Bridge.MaterialVersion, Is.EqualTo(1));
            Assert.That(outcome.Bridge.AttributesWritten, Does.Contain("idpbridge.terms.version"));
            Assert.That(outcome.Bridge.Message, Does.StartWith(
                "The realm uses IdpBridge's required-action bridge: version 1 is asked at each user's next login; no user was written."));
            Assert.That(requests, Is.EqualTo(new[]
            {
                "GET /admin/realms/externos/authentication/required-actions",
                "GET /admin/realms/externos",
                "PUT /admin/realms/externos",
            }), "no user is read or written");
            Assert.That(await services.GetRequiredService<IRolloutStore>().ListAsync("externos"), Is.Empty);
            Assert.That((string?)realm.GetSetting("attributes")!["custom.owner"], Is.EqualTo("it@example.org"));
            Assert.That((string?)realm.GetSetting("attributes")!["idpbridge.terms.version"], Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task StartOrDeliver_BridgeRegisteredButDisabled_IsAnAdminApiRollout()
    {
        // Arrange: registered is not enough; Keycloak runs only an enabled action. TERMS_AND_CONDITIONS makes the realm ready for a rollout.
        await services.GetRequiredService<KeycloakAdminClient>().RegisterRequiredActionAsync("externos", RealmTermsMode.BridgeAlias, "IdpBridge terms");
        realm.ConfigureRequiredAction(RealmTermsMode.BridgeAlias, enabled: false);
        realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);

        // Act
        var outcome = await services.GetRequiredService<RolloutService>().StartOrDeliverAsync("externos", "privacy", 1, "test");

        // Assert
        Assert.That(outcome.Bridge, Is.Null);
        Assert.That(outcome.Created, Is.True);
        Assert.That(outcome.Rollout!.UsersTotal, Is.EqualTo(25));
    }

    [Test]
    public async Task Start_BridgeEnabled_RefusedSoTheWorkerWritesNoUser()
    {
        // Arrange
        await services.GetRequiredService<KeycloakAdminClient>().RegisterRequiredActionAsync("externos", RealmTermsMode.BridgeAlias, "IdpBridge terms");
        realm.ConfigureRequiredAction(RealmTermsMode.BridgeAlias, enabled: true);

        // Act
        var exception = Assert.ThrowsAsync<RolloutException>(() => services.GetRequiredService<RolloutService>().StartAsync("externos", "privacy", 1, "service"));

        // Assert
        Assert.That((exception!.Refusal, exception.Facts), Is.EqualTo((RolloutRefusal.RealmUsesBridge, new RolloutRefusalFacts("externos", "privacy", 1))));
    }

    private static List<PolicyDocument> Documents(string version) => PolicyTestStack.Documents(version);
}
