using IdpBridge.Keycloak.IdentityProviders;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Audit.AuditRealm;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>The identity-provider check: stored tokens and mappers importing into undeclared attributes.</summary>
public sealed class IdentityProviderAuditTests
{
    private static IdentityProviderMapperRepresentation Mapper(string name, string type, params (string Key, string Value)[] config) => new()
    {
        Name = name,
        IdentityProviderAlias = "google",
        IdentityProviderMapper = type,
        Config = config.ToDictionary(item => item.Key, item => item.Value),
    };

    [Test]
    public void Evaluate_StoreToken_OneFinding()
    {
        var clean = Clean();

        var audit = AuditOf(clean with { IdentityProviders = [clean.IdentityProviders[0] with { StoreToken = true }, clean.IdentityProviders[1]] });

        Assert.That(Findings(audit), Is.EqualTo(new[] { "identity_provider_store_token identityProviders[google].storeToken" }));
    }

    [Test]
    public void Evaluate_MappersToUndeclaredAttributes_FindingPerMapper_DeclaredTargetsAndRolesLeftAlone()
    {
        var audit = AuditOf(Clean() with
        {
            IdentityProviderMappers =
            [
                Mapper("phone", "oidc-user-attribute-idp-mapper", ("claim", "phone_number"), ("user.attribute", "phoneNumber")),
                Mapper("tenant", "hardcoded-attribute-idp-mapper", ("attribute", "tenant"), ("attribute.value", "acme")),
                Mapper("github bio", "github-user-attribute-mapper", ("jsonField", "bio"), ("userAttribute", "bio")),
                Mapper("given name", "oidc-user-attribute-idp-mapper", ("claim", "given_name"), ("user.attribute", "firstName")),
                Mapper("admins", "oidc-role-idp-mapper", ("claim", "groups"), ("role", "admin")),
                Mapper("session", "hardcoded-user-session-attribute-idp-mapper", ("attribute", "via"), ("attribute.value", "google")),
            ],
        });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[]
            {
                "identity_provider_mapper_imports_undeclared identityProviders[google].mappers[phone]",
                "identity_provider_mapper_imports_undeclared identityProviders[google].mappers[tenant]",
                "identity_provider_mapper_imports_undeclared identityProviders[google].mappers[github bio]",
            }));
            Assert.That(audit.Results.Single(result => result.Code == "identity_provider_session_note").Where, Is.EqualTo("identityProviders[google].mappers[session]"));
        });
    }
}
