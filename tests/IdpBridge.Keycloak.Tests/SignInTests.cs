using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak.SignIn;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>What <see cref="KeycloakSignIn"/> reads from an admin token, and whose admin roles they are.</summary>
public sealed class SignInTests
{
    [Test]
    public void Read_KeycloakAccessToken_IssuerClientExpiryAndRolesPerClient()
    {
        var token = Jwt(new JsonObject
        {
            ["iss"] = "https://sso.example.org/realms/externos",
            ["azp"] = "idpbridge",
            ["exp"] = 1796166838,
            ["realm_access"] = new JsonObject { ["roles"] = new JsonArray("offline_access") },
            ["resource_access"] = new JsonObject
            {
                ["realm-management"] = new JsonObject { ["roles"] = new JsonArray("view-users", "manage-realm") },
                ["account"] = new JsonObject { ["roles"] = new JsonArray("view-profile") },
            },
        });

        var access = KeycloakSignIn.Read(token);

        Assert.Multiple(() =>
        {
            Assert.That(access.Issuer, Is.EqualTo("https://sso.example.org/realms/externos"));
            Assert.That(access.ClientId, Is.EqualTo("idpbridge"));
            Assert.That(access.ExpiresAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1796166838)));
            Assert.That(access.CarriesRoles, Is.True);
            Assert.That(access.AdminRolesOn("externos", "externos"), Is.EquivalentTo(new[] { "view-users", "manage-realm" }));
            Assert.That(access.AdminRolesOn("externos", "other"), Is.Empty, "a token of another realm administers nothing here");
        });
    }

    [Test]
    public void AdminRolesOn_MasterToken_TheRealmsClientInMaster()
    {
        var access = KeycloakSignIn.Read(Jwt(new JsonObject
        {
            ["resource_access"] = new JsonObject { ["externos-realm"] = new JsonObject { ["roles"] = new JsonArray("view-events") } },
        }));

        Assert.That(access.AdminRolesOn("externos", "master"), Is.EquivalentTo(new[] { "view-events" }));
    }

    [TestCase("opaque-token")]
    [TestCase("a.%%%.c")]
    public void Read_NotAJwt_NoRolesNoFailure(string token)
    {
        var access = KeycloakSignIn.Read(token);

        Assert.That((access.CarriesRoles, access.Issuer), Is.EqualTo((false, (string?)null)));
    }

    [Test]
    public void Read_LightweightToken_CarriesNoRoles()
    {
        // Keycloak's bootstrap admin client (26.x) uses lightweight access tokens: seen on 26.7.3, no realm_access or resource_access.
        var access = KeycloakSignIn.Read(Jwt(new JsonObject { ["azp"] = "idpbridge-launcher", ["scope"] = "profile email" }));

        Assert.That(access.CarriesRoles, Is.False);
    }

    private static string Jwt(JsonObject payload) =>
        $"{Segment(new JsonObject { ["alg"] = "RS256" })}.{Segment(payload)}.c2lnbmF0dXJl";

    private static string Segment(JsonObject json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
