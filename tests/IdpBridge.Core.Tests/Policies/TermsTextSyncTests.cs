using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Policies;

/// <summary>Publication and the terms-step sync against the simulator and a real SQLite store, on a fake clock.</summary>
public sealed class TermsTextSyncTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private KeycloakSimulator simulator = null!;
    private ServiceProvider services = null!;
    private SimulatedRealm realm = null!;
    private PolicyTestStack stack = null!;

    [SetUp]
    public async Task Start()
    {
        stack = await PolicyTestStack.StartAsync(time, collection => collection
            .AddIdpBridgePolicies()
            .Configure<PolicyOptions>(options => options.PublicBaseUrl = new Uri("https://idp.example.org")));
        (simulator, realm, services) = (stack.Simulator, stack.Realm, stack.Services);
    }

    [TearDown]
    public void Stop() => stack.Dispose();

    [Test]
    public async Task Sync_ScheduledVersion_ReachesTheTermsStepOnlyOnceItTakesEffect()
    {
        var publisher = services.GetRequiredService<PolicyPublisher>();
        var sync = services.GetRequiredService<TermsTextSync>();
        var first = await publisher.PublishAsync(Documents("v1"), new PublishRequest { Realm = "externos", Policy = "privacy" });
        var second = await publisher.PublishAsync(Documents("v2"), new PublishRequest { Realm = "externos", Policy = "privacy", Effective = time.GetUtcNow().AddDays(1) });
        var beforeEffective = await sync.SyncAsync("externos");
        var textBefore = realm.GetLocalization("es")["termsText"];

        time.Advance(TimeSpan.FromDays(1));
        var atEffective = await sync.SyncAsync("externos");
        var again = await sync.SyncAsync("externos");

        Assert.Multiple(() =>
        {
            Assert.That(first.TermsTextsWritten, Has.Count.EqualTo(6), "title, text and kind of each locale");
            Assert.That(second.Version.Number, Is.EqualTo(2));
            Assert.That(second.TermsTextsWritten, Is.Empty, "a scheduled version must not reach Keycloak early");
            Assert.That(beforeEffective, Is.Empty);
            Assert.That(textBefore, Does.Contain("/policies/externos/privacy/v/1?lang=es"));
            Assert.That(atEffective, Is.EquivalentTo(new[]
            {
                "es/termsTitle", "es/termsText", "en/termsTitle", "en/termsText",
                "attributes/idpbridge.terms.version", "attributes/idpbridge.terms.sha256", "attributes/idpbridge.terms.effective",
                "attributes/idpbridge.terms.materialVersion", "attributes/idpbridge.terms.materialEffective",
            }), "the service's sync brings the bridge's realm attributes with the texts once the version takes effect");
            Assert.That(realm.GetLocalization("en")["termsText"], Does.Contain("/policies/externos/privacy/v/2?lang=en"));
            Assert.That(again, Is.Empty, "the sync writes only what differs");
        });
    }

    [Test]
    public async Task Sync_TextChangedByHandInKeycloak_IsPutBack()
    {
        await services.GetRequiredService<PolicyPublisher>().PublishAsync(Documents("v1"), new PublishRequest { Realm = "externos", Policy = "privacy" });
        var published = realm.GetLocalization("es")["termsText"];
        realm.SetLocalization("es", "termsText", "<p>Aceptá todo.</p>");

        var written = await services.GetRequiredService<TermsTextSync>().SyncAsync("externos");

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(new[] { "es/termsText" }));
            Assert.That(realm.GetLocalization("es")["termsText"], Is.EqualTo(published));
        });
    }

    [Test]
    public async Task Publish_NoticeAfterMaterial_MarksTheTermsStepAsNoticeInEveryLocale()
    {
        // Arrange
        var publisher = services.GetRequiredService<PolicyPublisher>();
        await publisher.PublishAsync(Documents("v1"), new PublishRequest { Realm = "externos", Policy = "privacy" });
        var kindBefore = realm.GetLocalization("es")[KeycloakTermsTexts.KindKey];

        // Act: the same demo text as version 2, published as a notice.
        var notice = await publisher.PublishAsync(Documents("v2"), new PublishRequest
        {
            Realm = "externos", Policy = "privacy", Kind = PolicyVersionKind.Notice, Summary = "Se agrega GitHub",
        });

        // Assert: Admin API mode's theme shows a single "continue" when idpbridgeTermsKind is notice.
        Assert.Multiple(() =>
        {
            Assert.That(kindBefore, Is.EqualTo("material"));
            Assert.That(notice.Version.Kind, Is.EqualTo(PolicyVersionKind.Notice));
            Assert.That(notice.TermsTextsWritten, Does.Contain("es/idpbridgeTermsKind").And.Contain("en/idpbridgeTermsKind"));
            Assert.That(realm.GetLocalization("es")[KeycloakTermsTexts.KindKey], Is.EqualTo("notice"));
            Assert.That(realm.GetLocalization("en")[KeycloakTermsTexts.KindKey], Is.EqualTo("notice"));
        });
    }

    [Test]
    public async Task Publish_InForce_WritesTheBridgeAttributesKeepingTheOthersAndOnlyWhenTheyChange()
    {
        // Arrange
        realm.SetSetting("attributes", new System.Text.Json.Nodes.JsonObject { ["custom.owner"] = "it@example.org" });
        var publisher = services.GetRequiredService<PolicyPublisher>();

        // Act
        var first = await publisher.PublishAsync(Documents("v1"), new PublishRequest { Realm = "externos", Policy = "privacy" });
        simulator.ClearRequests();
        var unchanged = await services.GetRequiredService<BridgeAttributeSync>().SyncAsync("externos");
        var requestsWhenCurrent = simulator.Requests.Select(request => $"{request.Method} {request.Path}").ToList();
        var second = await publisher.PublishAsync(Documents("v2"), new PublishRequest { Realm = "externos", Policy = "privacy", Kind = PolicyVersionKind.Notice });

        // Assert
        var attributes = realm.GetSetting("attributes")!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(first.RealmAttributesWritten, Does.Contain("idpbridge.terms.version").And.Contain("idpbridge.terms.materialEffective"));
            Assert.That(unchanged, Is.Empty);
            Assert.That(requestsWhenCurrent, Is.EqualTo(new[] { "GET /admin/realms/externos" }), "a realm already current is read, never written");
            Assert.That(second.RealmAttributesWritten, Is.EquivalentTo(new[]
            {
                "idpbridge.terms.version", "idpbridge.terms.kind", "idpbridge.terms.sha256",
                "idpbridge.terms.noticeVersion", "idpbridge.terms.noticeEffective",
            }), "the fake clock has not moved: the effective time is the same second");
            Assert.That((string?)attributes["custom.owner"], Is.EqualTo("it@example.org"));
            Assert.That((string?)attributes["idpbridge.terms.version"], Is.EqualTo("2"));
            Assert.That((string?)attributes["idpbridge.terms.kind"], Is.EqualTo("notice"));
            Assert.That((string?)attributes["idpbridge.terms.materialVersion"], Is.EqualTo("1"));
            Assert.That((string?)attributes["idpbridge.terms.noticeVersion"], Is.EqualTo("2"));
            Assert.That((string?)attributes["idpbridge.terms.sha256"], Is.EqualTo(second.Version.ContentHash));
        });
    }

    private static List<PolicyDocument> Documents(string version) => PolicyTestStack.Documents(version);
}
