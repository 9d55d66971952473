using IdpBridge.Keycloak.Clients;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Audit.AuditRealm;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>The tokens check, on Keycloak 26.7.3's own built-in client scopes.</summary>
public sealed class TokenAuditTests
{
    [Test]
    public void Evaluate_ClientWithAddressAndPhone_FindingPerLink()
    {
        var clean = Clean();

        var audit = AuditOf(clean with
        {
            Clients = [Client("demo-app", [.. DemoDefaultScopes, "phone"], ["offline_access", "address"]), clean.Clients[1]],
        });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[]
            {
                "tokens_undeclared_scope clients[demo-app].defaultClientScopes[phone]",
                "tokens_undeclared_scope clients[demo-app].optionalClientScopes[address]",
            }));
            Assert.That(audit.Findings.First().What(), Does.Contain("'phoneNumber', 'phoneNumberVerified'").And.Contain("always gets"));
            Assert.That(audit.Findings.Last().What(), Does.Contain("'street', 'locality', 'region', 'postal_code', 'country', 'formatted'"));
        });
    }

    [Test]
    public void Evaluate_RealmDefaultsOfferAddressAndPhone_FindingPerDefault()
    {
        var clean = Clean();

        var audit = AuditOf(clean with
        {
            DefaultDefaultClientScopes = [.. clean.DefaultDefaultClientScopes, "phone"],
            DefaultOptionalClientScopes = [.. clean.DefaultOptionalClientScopes, "address"],
        });

        Assert.That(Findings(audit), Is.EqualTo(new[]
        {
            "tokens_undeclared_scope defaultDefaultClientScopes[phone]", "tokens_undeclared_scope defaultOptionalClientScopes[address]",
        }));
    }

    [Test]
    public void Evaluate_ClientOwnMapperOfUndeclaredAttribute_Finding_DeclaredOneNot()
    {
        var clean = Clean();

        var audit = AuditOf(clean with
        {
            Clients =
            [
                Client("demo-app", DemoDefaultScopes, [], AttributeMapper("department", "department"), AttributeMapper("mail again", "email")),
                clean.Clients[1],
            ],
        });

        Assert.That(Findings(audit), Is.EqualTo(new[] { "tokens_client_mapper clients[demo-app].protocolMappers[department]" }));
    }

    [Test]
    public void Evaluate_MapperAddedToProfileScope_FindingOnTheScopeOnce_StandardClaimsInformational()
    {
        var clean = Clean();
        var scopes = clean.ClientScopes
            .Select(scope => scope.Name == "profile" ? scope with { ProtocolMappers = [.. scope.ProtocolMappers!, AttributeMapper("national id", "nationalId")] } : scope)
            .ToList();

        var audit = AuditOf(clean with { ClientScopes = scopes });

        Assert.Multiple(() =>
        {
            Assert.That(Findings(audit), Is.EqualTo(new[] { "tokens_scope_mapper clientScopes[profile].protocolMappers[national id]" }),
                "once, though two clients and the realm's defaults link profile");
            Assert.That(audit.Results.Single(result => result.Code == "tokens_profile_standard_claims").What(),
                Does.Contain("'birthdate', 'gender', 'locale', 'middleName', 'nickname', 'picture', 'profile', 'updatedAt', 'website', 'zoneinfo'"));
        });
    }

    [Test]
    public void Evaluate_UnlinkedScopeWithUndeclaredData_NoFinding()
    {
        var clean = Clean();
        var custom = new ClientScopeRepresentation { Name = "hr", ProtocolMappers = [AttributeMapper("salary", "salary")] };

        var audit = AuditOf(clean with { ClientScopes = [.. clean.ClientScopes, custom] });

        Assert.That(Findings(audit), Is.Empty, "address and phone exist in every realm; only a link puts them in tokens");
    }

    [Test]
    public void Evaluate_RolesGroupsAndSessionNotes_AreNotProfileData()
    {
        var clean = Clean();

        var audit = AuditOf(clean with
        {
            Clients = [Client("svc", ["roles", "service_account", "microprofile-jwt", "organization"], []), clean.Clients[1]],
        });

        Assert.That(Findings(audit), Is.Empty);
    }
}
