using IdpBridge.Core.Policies;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Policies;

/// <summary>The realm attributes of the required-action bridge, as keycloak-extension/README.md defines them.</summary>
[TestFixture]
public sealed class BridgeRealmAttributesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static PolicyVersion Version(int number, PolicyVersionKind kind, DateTimeOffset effective) =>
        new("externos", "privacy", number, kind, effective, effective, $"{number}".PadLeft(64, 'a'), []);

    [Test]
    public void For_MaterialMaterialMinorNotice_NewestInForceWithHighestMaterialAndNotice()
    {
        // Arrange: the README's example (v1 material, v2 material, v3 minor, v4 notice), v4 effective part-way through a
        // second: its effective time is that second, and answers count from the next one.
        var versions = new[]
        {
            Version(1, PolicyVersionKind.Material, T0),
            Version(2, PolicyVersionKind.Material, T0.AddDays(10)),
            Version(3, PolicyVersionKind.Minor, T0.AddDays(20)),
            Version(4, PolicyVersionKind.Notice, T0.AddDays(30).AddMilliseconds(750)),
        };

        // Act
        var attributes = BridgeRealmAttributes.For("privacy", versions.Reverse(), T0.AddDays(31));

        // Assert
        Assert.That(attributes, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["idpbridge.terms.version"] = "4",
            ["idpbridge.terms.kind"] = "notice",
            ["idpbridge.terms.sha256"] = "4".PadLeft(64, 'a'),
            ["idpbridge.terms.effective"] = "2026-07-31T00:00:00Z",
            ["idpbridge.terms.materialVersion"] = "2",
            ["idpbridge.terms.materialEffective"] = "2026-07-11T00:00:00Z",
            ["idpbridge.terms.noticeVersion"] = "4",
            ["idpbridge.terms.noticeEffective"] = "2026-07-31T00:00:01Z",
            ["idpbridge.terms.policy"] = "privacy",
        }));
    }

    [Test]
    public void For_ScheduledVersion_NotYetInForce()
    {
        // Arrange
        var versions = new[] { Version(1, PolicyVersionKind.Material, T0), Version(2, PolicyVersionKind.Material, T0.AddDays(1)) };

        // Act
        var before = BridgeRealmAttributes.For("privacy", versions, T0.AddDays(1).AddTicks(-1));
        var at = BridgeRealmAttributes.For("privacy", versions, T0.AddDays(1));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before["idpbridge.terms.version"], Is.EqualTo("1"));
            Assert.That(at["idpbridge.terms.version"], Is.EqualTo("2"));
            Assert.That(at["idpbridge.terms.materialVersion"], Is.EqualTo("2"));
        });
    }

    [Test]
    public void For_MinorFirstAndNoNotice_MaterialZeroAndNoEffectiveTimesForAbsentKinds()
    {
        // Act
        var attributes = BridgeRealmAttributes.For("privacy", [Version(1, PolicyVersionKind.Minor, T0)], T0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(attributes["idpbridge.terms.materialVersion"], Is.EqualTo("0"));
            Assert.That(attributes["idpbridge.terms.noticeVersion"], Is.EqualTo("0"));
            Assert.That(attributes.ContainsKey("idpbridge.terms.materialEffective"), Is.False);
            Assert.That(attributes.ContainsKey("idpbridge.terms.noticeEffective"), Is.False);
        });
    }

    [Test]
    public void For_NothingInForce_Empty()
    {
        // Act
        var attributes = BridgeRealmAttributes.For("privacy", [Version(1, PolicyVersionKind.Material, T0.AddDays(1))], T0);

        // Assert
        Assert.That(attributes, Is.Empty);
    }

    [Test]
    public void Merge_OtherAttributes_KeptAndBridgeOnesReplaced()
    {
        // Arrange
        var live = new Dictionary<string, string>
        {
            ["frontendUrl"] = "https://sso.example.org",
            ["custom.owner"] = "it@example.org",
            ["idpbridge.terms.version"] = "1",
            ["idpbridge.terms.noticeEffective"] = "2026-01-01T00:00:00Z",
        };
        var wanted = BridgeRealmAttributes.For("privacy", [Version(1, PolicyVersionKind.Material, T0), Version(2, PolicyVersionKind.Material, T0)], T0);

        // Act
        var merged = BridgeRealmAttributes.Merge(live, wanted);

        // Assert: the notice time no version backs any more is gone; everything outside the bridge's keys stays.
        Assert.That(merged, Is.EquivalentTo(wanted.Append(new("frontendUrl", "https://sso.example.org")).Append(new("custom.owner", "it@example.org"))));
    }

    [Test]
    public void Merge_AlreadyCurrent_NullSoNothingIsWritten()
    {
        // Arrange
        var wanted = BridgeRealmAttributes.For("privacy", [Version(1, PolicyVersionKind.Material, T0)], T0);
        var live = new Dictionary<string, string>(wanted) { ["custom.owner"] = "it@example.org" };

        // Act / Assert
        Assert.That(BridgeRealmAttributes.Merge(live, wanted), Is.Null);
    }

    [Test]
    public void Merge_NothingInForce_NullAndTheRealmIsLeftAlone()
    {
        // Act / Assert
        Assert.That(BridgeRealmAttributes.Merge(new Dictionary<string, string> { ["idpbridge.terms.version"] = "3" }, new Dictionary<string, string>()), Is.Null);
    }

    [Test]
    public void Merge_RealmWithoutAttributes_WritesTheBridgeSet()
    {
        // Arrange
        var wanted = BridgeRealmAttributes.For("privacy", [Version(1, PolicyVersionKind.Material, T0)], T0);

        // Act / Assert
        Assert.That(BridgeRealmAttributes.Merge(null, wanted), Is.EquivalentTo(wanted));
    }
}
