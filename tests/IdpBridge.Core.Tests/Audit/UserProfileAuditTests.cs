using IdpBridge.Core.Audit;
using IdpBridge.Core.Realms;
using IdpBridge.Testing;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Audit.AuditRealm;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>The declared fields and the user-profile and registration checks.</summary>
public sealed class UserProfileAuditTests
{
    [Test]
    public void Evaluate_CleanDemoRealm_NoFinding()
    {
        var audit = AuditOf(Clean());

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.Empty);
            Assert.That(audit.IsClean, Is.True);
            Assert.That(audit.Results.Select(result => result.Code), Does.Contain("registration_form_fields").And.Contain("tokens_profile_standard_claims"));
            Assert.That(audit.Results.Where(result => result.Code is "tokens_built_in_clients" or "tokens_client_mapper").Select(result => $"{result.Where} {result.Severity}"),
                Is.EqualTo(new[]
                {
                    "clients[security-admin-console].protocolMappers[locale] Informational",
                    "clients[*].optionalClientScopes[address] Informational", "clients[*].optionalClientScopes[phone] Informational",
                }), "Keycloak's own clients, as a new realm makes them, are informational");
        });
    }

    [Test]
    public void Default_DemoRealmFile_DeclaresTheSameFields()
    {
        var config = RealmConfigLoader.Load(Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos"), _ => "test").Config;

        var declared = DeclaredFields.FromRealmConfig(config);

        Assert.That((declared.Names, declared.UsernameIsEmail), Is.EqualTo((DeclaredFields.Default.Names, DeclaredFields.Default.UsernameIsEmail)),
            "the default policy and the demo realm are one source of truth");
    }

    [Test]
    public void Evaluate_UndeclaredUserEditableAttribute_OneFindingSayingRegistrationAsksForIt()
    {
        var clean = Clean();
        var snapshot = clean with { UserProfile = clean.UserProfile with { Attributes = [.. clean.UserProfile.Attributes!, Attribute("phoneNumber", required: true)] } };

        var audit = AuditOf(snapshot);

        var finding = audit.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That((finding.Code, finding.Where), Is.EqualTo(("user_profile_undeclared_attribute", "userProfile.attributes[phoneNumber]")));
            Assert.That(finding.What(), Does.Contain("registration form").And.Contain("must give it"));
            Assert.That(audit.Results.Single(result => result.Code == "registration_form_fields").What(), Does.Contain("email, firstName, lastName, phoneNumber"));
        });
    }

    [Test]
    public void Evaluate_UndeclaredAdminOnlyAttribute_FindingSaysOnlyAdministrators()
    {
        var clean = Clean();
        var snapshot = clean with { UserProfile = clean.UserProfile with { Attributes = [.. clean.UserProfile.Attributes!, Attribute("employeeNumber", userEdits: false)] } };

        var finding = AuditOf(snapshot).Findings.Single();

        Assert.That(finding.What(), Does.Contain("Only administrators"));
    }

    [TestCase("ENABLED", AuditSeverity.Finding, "users can add")]
    [TestCase("ADMIN_EDIT", AuditSeverity.Finding, "administrators (admin console, Admin API, imports) can store")]
    [TestCase("ADMIN_VIEW", AuditSeverity.Informational, "read-only")]
    public void Evaluate_UnmanagedAttributePolicy_SaysWhatItMeans(string policy, AuditSeverity severity, string meaning)
    {
        var clean = Clean();

        var result = AuditOf(clean with { UserProfile = clean.UserProfile with { UnmanagedAttributePolicy = policy } })
            .Results.Single(result => result.Where == "userProfile.unmanagedAttributePolicy" && result.Check == AuditChecks.UserProfile);

        Assert.That(result.Severity, Is.EqualTo(severity));
        Assert.That(result.What(), Does.StartWith(policy).And.Contain(meaning));
    }

    [Test]
    public void Evaluate_UsernameAskedBesidesEmail_RegistrationFinding()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { Realm = clean.Realm with { RegistrationEmailAsUsername = false } });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[] { "registration_username_asked registrationEmailAsUsername" }));
            Assert.That(audit.Results.Single(result => result.Code == "registration_form_fields").What(), Does.Contain("username, email"));
        });
    }

    [Test]
    public void Evaluate_UsernameAskedWhereTheConfigDeclaresIt_NoFinding()
    {
        var config = RealmConfigLoader.Parse("""{"realm": "r", "registrationEmailAsUsername": false}""", "realm.json").Config;
        var clean = Clean();

        var audit = AuditOf(clean with { Realm = clean.Realm with { RegistrationEmailAsUsername = false } }, declared: DeclaredFields.FromRealmConfig(config));

        Assert.That(Findings(audit), Is.Empty);
    }

    [Test]
    public void Evaluate_RegistrationOff_NoRegistrationResult()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { Realm = clean.Realm with { RegistrationAllowed = false, RegistrationEmailAsUsername = false } });

        Assert.That(audit.Results.Where(result => result.Check == AuditChecks.Registration), Is.Empty);
    }
}
