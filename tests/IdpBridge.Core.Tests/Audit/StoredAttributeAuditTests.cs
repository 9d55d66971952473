using IdpBridge.Core.Audit;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Audit.AuditRealm;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>The stored-attributes results from the scan's counts.</summary>
public sealed class StoredAttributeAuditTests
{
    private static StoredAttributeCounts Counts(params (string Name, int Users)[] attributes) =>
        new(10, attributes.ToDictionary(item => item.Name, item => item.Users), 0);

    [Test]
    public void Evaluate_UndeclaredStoredAttribute_OneFindingWithTheCountAndNoValue()
    {
        var audit = AuditOf(Clean(), Counts(("nationalId", 3)));

        var finding = audit.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That((finding.Code, finding.Where), Is.EqualTo(("stored_attributes_undeclared", "users[*].attributes[nationalId]")));
            Assert.That(finding.What(), Does.StartWith("3 of 10 users store 'nationalId'"));
        });
    }

    [Test]
    public void Evaluate_KeycloakAndIdpBridgeOwnAttributes_InformationalOnly()
    {
        var audit = AuditOf(Clean(), Counts(
            ("locale", 4), ("terms_and_conditions", 9), ("idpbridge.terms.acceptedVersion", 9), ("idpbridge.terms.acceptedSha256", 9), ("LDAP_ID", 1)));

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.Empty);
            Assert.That(audit.Results.Where(result => result.Check == AuditChecks.StoredAttributes).Select(result => result.Code), Is.EquivalentTo(new[]
            {
                "stored_attributes_locale", "stored_attributes_terms_accepted", "stored_attributes_federation_link",
                "stored_attributes_idpbridge_acceptance", "stored_attributes_revealed",
            }));
            Assert.That(audit.Results.Single(result => result.Code == "stored_attributes_idpbridge_acceptance").What(),
                Does.Contain("idpbridge.terms.acceptedSha256 (9 users), idpbridge.terms.acceptedVersion (9 users)"));
        });
    }

    [Test]
    public void Evaluate_LocaleWithoutInternationalization_Finding()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { Realm = clean.Realm with { InternationalizationEnabled = false } }, Counts(("locale", 2)));

        Assert.That(Findings(audit), Is.EqualTo(new[] { "stored_attributes_undeclared users[*].attributes[locale]" }));
    }

    [Test]
    public void Evaluate_AttributeTheProfileDeclares_ReportedOnceByTheProfileCheck()
    {
        var clean = Clean();
        var snapshot = clean with { UserProfile = clean.UserProfile with { Attributes = [.. clean.UserProfile.Attributes!, Attribute("phoneNumber")] } };

        var audit = AuditOf(snapshot, Counts(("phoneNumber", 5)));

        Assert.That(Findings(audit), Is.EqualTo(new[] { "user_profile_undeclared_attribute userProfile.attributes[phoneNumber]" }));
    }

    [TestCase(StoredAttributeVisibility.ProfileOnly, "stored_attributes_hidden", "--reveal-unmanaged")]
    [TestCase(StoredAttributeVisibility.Revealed, "stored_attributes_revealed", "put back")]
    [TestCase(StoredAttributeVisibility.AllVisible, "stored_attributes_all_visible", "Nothing to do")]
    public void Evaluate_Visibility_SaysWhatTheScanSaw(StoredAttributeVisibility visibility, string code, string advice)
    {
        var result = AuditOf(Clean(), visibility: visibility).Results.Single(result => result.Where == "userProfile.unmanagedAttributePolicy");

        Assert.That((result.Code, result.Severity), Is.EqualTo((code, AuditSeverity.Informational)));
        Assert.That(result.What() + result.Fix(), Does.Contain(advice));
    }

    [Test]
    public void Evaluate_NamesBeyondTheLimit_Finding()
    {
        var audit = AuditOf(Clean(), new StoredAttributeCounts(5, new Dictionary<string, int>(), 7));

        Assert.That(Findings(audit), Is.EqualTo(new[] { "stored_attributes_too_many_names users[*].attributes" }));
    }
}
