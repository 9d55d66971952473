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
    private static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private KeycloakSimulator simulator = null!;
    private ServiceProvider services = null!;
    private SimulatedRealm realm = null!;
    private string folder = null!;

    [SetUp]
    public async Task Start()
    {
        simulator = KeycloakSimulator.Start();
        realm = simulator.CreateRealm("externos");
        realm.SetSetting("internationalizationEnabled", true);
        realm.SetSetting("supportedLocales", new System.Text.Json.Nodes.JsonArray("es", "en"));
        realm.SetSetting("defaultLocale", "es");
        folder = Path.Combine(Path.GetTempPath(), $"idpbridge-terms-{Guid.NewGuid():N}");
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddKeycloakAdminClientFor(simulator);
        collection.AddIdpBridgeStorage(options => options.SqlitePath = Path.Combine(folder, "idpbridge.db"));
        collection.AddIdpBridgePolicies();
        collection.Configure<PolicyOptions>(options => options.PublicBaseUrl = new Uri("https://idp.example.org"));
        services = collection.BuildServiceProvider();
        await services.GetRequiredService<IStoreDatabase>().MigrateAsync();
    }

    [TearDown]
    public void Stop()
    {
        services.Dispose();
        simulator.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

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
            Assert.That(atEffective, Is.EquivalentTo(new[] { "es/termsTitle", "es/termsText", "en/termsTitle", "en/termsText" }));
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

    private static List<PolicyDocument> Documents(string version) =>
        [PolicyDocumentReader.Read(Path.Combine(Demo, version, "es.md")), PolicyDocumentReader.Read(Path.Combine(Demo, version, "en.md"))];
}
