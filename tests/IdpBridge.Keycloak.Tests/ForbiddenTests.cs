using System.Net;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>
/// A 403 from the Admin API names the realm-management role the call needs (Keycloak's own body says only
/// <c>HTTP 403 Forbidden</c>); the roles are those Keycloak 26.7.3 asks, path by path (the end-to-end
/// ServiceAccountRolesTests run each feature with exactly them).
/// </summary>
public sealed class ForbiddenTests
{
    private const string Forbidden = "HTTP 403 Forbidden";

    [TestCase("GET", "/admin/realms/externos", "view-realm")]
    [TestCase("PUT", "/admin/realms/externos", "manage-realm")]
    [TestCase("POST", "/admin/realms/externos/localization/es", "manage-realm")]
    [TestCase("GET", "/admin/realms/externos/authentication/required-actions", "view-realm")]
    [TestCase("PUT", "/admin/realms/externos/users/profile", "manage-realm")]
    [TestCase("GET", "/admin/realms/externos/users/0b6c/", "view-users")]
    [TestCase("PUT", "/admin/realms/externos/users/0b6c", "manage-users")]
    [TestCase("GET", "/admin/realms/externos/groups", "view-users")]
    [TestCase("GET", "/admin/realms/externos/events", "view-events")]
    [TestCase("PUT", "/admin/realms/externos/events/config", "manage-events")]
    [TestCase("GET", "/admin/realms/externos/identity-provider/instances/google", "view-identity-providers")]
    [TestCase("POST", "/admin/realms/externos/identity-provider/instances", "manage-identity-providers")]
    [TestCase("PUT", "/admin/realms/externos/clients/5f1e", "manage-clients")]
    [TestCase("GET", "/admin/realms/externos/default-default-client-scopes", "view-clients")]
    [TestCase("GET", "/auth/admin/realms/externos/users/0b6c/role-mappings/clients/9c2d", "view-users and view-clients")]
    public void Message_Forbidden_NamesTheRoleTheCallNeeds(string method, string path, string role)
    {
        var exception = new KeycloakException(method, path, HttpStatusCode.Forbidden, Forbidden, $$"""{"error":"{{Forbidden}}"}""");

        Assert.That(exception.MissingRole, Is.EqualTo(role));
        Assert.That(exception.Message, Is.EqualTo(
            $"Keycloak answered 403 Forbidden to {method} {path}: {Forbidden}. The client IdpBridge signs in with (IdpBridge:Keycloak:ClientId) " +
            $"lacks the realm-management role{(role.Contains(' ', StringComparison.Ordinal) ? "s" : "")} {role} of realm 'externos', which this call needs " +
            "(the README's Security section lists the roles of each feature)."));
    }

    [Test]
    public void Message_ForbiddenRealmCreation_NamesTheMasterRealmRole()
    {
        var exception = new KeycloakException("POST", "/admin/realms", HttpStatusCode.Forbidden, Forbidden, null);

        Assert.That(exception.MissingRole, Is.EqualTo("create-realm"));
        Assert.That(exception.Message, Does.Contain("lacks the master realm's role create-realm (an admin of the master realm)"));
    }

    [Test]
    public async Task FindRealm_ClientWithoutViewRealm_TheCutDownRealmIsRefusedNamingTheRoleAndKeptOnlyWhenAskedAsAnswered()
    {
        var simulator = KeycloakSimulator.Start();
        simulator.CreateRealm("externos");
        var secret = simulator.AddServiceAccountClient("externos", "reader", "view-users");
        using var harness = ClientHarness.Start(configure: options =>
        {
            options.Url = new Uri(simulator.Url);
            options.Realm = "externos";
            options.ClientId = "reader";
            options.ClientSecret = secret;
        });

        try
        {
            var refused = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.FindRealmAsync("externos"))!;
            var answered = await harness.Client.FindRealmAsAnsweredAsync("externos");

            Assert.Multiple(() =>
            {
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(refused.MissingRole, Is.EqualTo("view-realm"));
                Assert.That(refused.Message, Does.StartWith(
                    "Keycloak answered 200 OK to GET /admin/realms/externos: only the cut-down realm a client without view-realm may read (no id, no settings). " +
                    "The client IdpBridge signs in with (IdpBridge:Keycloak:ClientId) lacks the realm-management role view-realm of realm 'externos'"));
                Assert.That(answered!.Id, Is.Null);
                Assert.That(answered.Realm, Is.EqualTo("externos"));
            });
        }
        finally
        {
            simulator.Dispose();
        }
    }

    [TestCase(HttpStatusCode.NotFound, "/admin/realms/externos/users/0b6c")]
    [TestCase(HttpStatusCode.Forbidden, "/realms/externos/protocol/openid-connect/token")]
    [TestCase(HttpStatusCode.Forbidden, "/admin/realms/externos/attack-detection/brute-force/users/0b6c")]
    public void Message_OtherFailures_AreAsBefore(HttpStatusCode status, string path)
    {
        var exception = new KeycloakException("GET", path, status, "refused", null);

        Assert.That(exception.MissingRole, Is.Null);
        Assert.That(exception.Message, Is.EqualTo($"Keycloak answered {(int)status} {status} to GET {path}: refused"));
    }
}
