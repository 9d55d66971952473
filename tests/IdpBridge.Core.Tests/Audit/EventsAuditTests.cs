using IdpBridge.Core.Audit;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Audit.AuditRealm;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>The events check: what the realm keeps against what the acceptance record needs.</summary>
public sealed class EventsAuditTests
{
    [Test]
    public void Evaluate_DemoEvents_SecurityTypesInformationalOnly()
    {
        var results = AuditOf(Clean()).Results.Where(result => result.Check == AuditChecks.Events).ToList();

        Assert.That(results.Select(result => (result.Code, result.Severity)), Is.EqualTo(new[] { ("events_security_types", AuditSeverity.Informational) }));
        Assert.That(results[0].What(), Does.Contain("LOGIN_ERROR and REGISTER_ERROR"));
    }

    [Test]
    public void Evaluate_ExtraTypes_OneFindingListingThem()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { Events = clean.Events with { EnabledEventTypes = [.. clean.Events.EnabledEventTypes!, "UPDATE_PROFILE", "CODE_TO_TOKEN"] } });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[] { "events_extra_types events.enabledEventTypes" }));
            Assert.That(audit.Findings.Single().What(), Does.EndWith("CODE_TO_TOKEN, UPDATE_PROFILE."));
        });
    }

    [Test]
    public void Evaluate_NoTypeListed_KeycloakKeepsAll_Finding()
    {
        var clean = Clean();

        Assert.That(Findings(AuditOf(clean with { Events = clean.Events with { EnabledEventTypes = [] } })), Is.EqualTo(new[] { "events_all_types events.enabledEventTypes" }));
    }

    [TestCase(null, "events_kept_forever")]
    [TestCase(0L, "events_kept_forever")]
    [TestCase(31622400L, "events_kept_long")]
    public void Evaluate_Expiration_ForeverOrOverAYear_Finding(long? seconds, string code)
    {
        var clean = Clean();

        Assert.That(Findings(AuditOf(clean with { Events = clean.Events with { EventsExpiration = seconds } })), Is.EqualTo(new[] { $"{code} events.eventsExpiration" }));
    }

    [Test]
    public void Evaluate_KeptLong_FactsAreTheSecondsNotWords()
    {
        var clean = Clean();

        var finding = AuditOf(clean with { Events = clean.Events with { EventsExpiration = 31622400L } }).Findings.Single();

        Assert.That(finding.Facts, Is.EqualTo(new Dictionary<string, object> { ["expiration"] = 31622400L, ["max"] = 31536000L }));
        Assert.That(finding.What(), Is.EqualTo("Events are kept 366 days, more than 365; IdpBridge's record keeps its own copy of each decision."));
    }

    [Test]
    public void Evaluate_EventsOff_NothingAboutUserEvents()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { Events = clean.Events with { EventsEnabled = false, EventsExpiration = null, EnabledEventTypes = [] } });

        Assert.That(audit.Results.Where(result => result.Check == AuditChecks.Events), Is.Empty);
    }

    [Test]
    public void Evaluate_AdminEventsWithRepresentation_Finding_WithoutInformational()
    {
        var clean = Clean();
        var withDetails = clean with
        {
            Events = clean.Events with { AdminEventsEnabled = true, AdminEventsDetailsEnabled = true },
            Realm = clean.Realm with { Attributes = new Dictionary<string, string> { ["adminEventsExpiration"] = "864000" } },
        };

        var audit = AuditOf(withDetails);
        var without = AuditOf(clean with { Events = clean.Events with { AdminEventsEnabled = true } });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[] { "events_admin_representations events.adminEventsDetailsEnabled" }));
            Assert.That(audit.Findings.Single().What(), Does.Contain("for 10 days"));
            Assert.That(Findings(without), Is.Empty);
            Assert.That(without.Results.Single(result => result.Code == "events_admin_events").What(), Does.Contain("forever"));
        });
    }
}
