using System.Net;
using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary><c>idpbridge realm plan | apply</c> of the demo realm on the real Keycloak: a new realm, then convergence.</summary>
public sealed class RealmApplyTests : ProvisioningFixture
{
    private static readonly string[] DemoEventTypes =
        ["LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"];

    private static readonly string[] ServiceRoles = ["manage-realm", "manage-users", "view-events", "view-realm", "view-users"];

    [Test]
    public async Task Plan_AbsentRealm_ExitsTwoAndWritesNothing()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        await using var proxy = await RecordingProxy.StartAsync(Server.Server.BaseUrl);

        var run = await IdpbridgeAsync(proxy, "realm", "plan", demo.Folder, "--detailed-exitcode");
        var realm = await Admin.SendAsync(HttpMethod.Get, $"realms/{demo.Name}", ensureSuccess: false);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Output, Does.Contain($"Realm '{demo.Name}' does not exist: it will be created"));
            Assert.That(run.Output, Does.Contain("Plan: 12 to create, 3 to change, 0 to delete."));
            Assert.That(proxy.Requests.Select(request => request.ToString()), Does.Contain($"GET /admin/realms/{demo.Name} → 404"),
                "the plan went through the proxy");
            Assert.That(proxy.Writes, Is.Empty);
            Assert.That(realm.Status, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Apply_AbsentRealm_CreatesWhatTheFileDeclares()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);

        var run = await ApplyAsync(demo);

        var realm = await ReadAsync(demo);
        var profile = await ReadAsync(demo, "/users/profile");
        var terms = await ReadAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS");
        var providers = (await ReadAsync(demo, "/identity-provider/instances")).AsArray();
        var google = await ReadAsync(demo, "/identity-provider/instances/google");
        var gitlab = await ReadAsync(demo, "/identity-provider/instances/gitlab");
        var service = (await ReadAsync(demo, "/clients?clientId=idpbridge")).AsArray().Single()!;
        var app = (await ReadAsync(demo, "/clients?clientId=demo-app")).AsArray().Single()!;
        var secret = await ReadAsync(demo, $"/clients/{service["id"]}/client-secret");
        Assert.Multiple(() =>
        {
            // The realm is created with its settings once: sets read back in the server's order are no change to make again.
            Assert.That(run.Output.Split('\n').Where(line => line.StartsWith("  done ", StringComparison.Ordinal)).Select(line => line.TrimEnd('\r')),
                Is.EqualTo(new[]
                {
                    $"  done + realm {demo.Name}", $"  done + smtp-server {demo.Name}", "  done ~ required-action TERMS_AND_CONDITIONS", "  done + realm-role idpbridge-admin",
                    "  done + group idpbridge-admins", "  done + client-scope idpbridge-audience", "  done + client-scope-mapper idpbridge-audience/idpbridge audience",
                    $"  done ~ realm-default-client-scopes {demo.Name}", "  done + client idpbridge", "  done + client demo-app", "  done + client idpbridge-admin-page",
                    "  done + service-account-roles idpbridge", "  done + identity-provider google", "  done + identity-provider gitlab",
                }));
            Assert.That(realm["displayName"]!.GetValue<string>(), Is.EqualTo("Externos"));
            Assert.That(realm["registrationAllowed"]!.GetValue<bool>() && realm["registrationEmailAsUsername"]!.GetValue<bool>()
                && realm["verifyEmail"]!.GetValue<bool>() && realm["resetPasswordAllowed"]!.GetValue<bool>(), Is.True);
            Assert.That(realm["loginTheme"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That(realm["defaultLocale"]!.GetValue<string>(), Is.EqualTo("es"));
            Assert.That(Strings(realm["supportedLocales"]), Is.EquivalentTo(new[] { "es", "en" }));
            Assert.That(realm["eventsEnabled"]!.GetValue<bool>(), Is.True);
            Assert.That(realm["eventsExpiration"]!.GetValue<long>(), Is.EqualTo(31536000));
            Assert.That(Strings(realm["enabledEventTypes"]), Is.EquivalentTo(DemoEventTypes));
            Assert.That(Strings(realm["eventsListeners"]), Is.EqualTo(new[] { "jboss-logging" }));

            Assert.That(profile["attributes"]!.AsArray().Select(attribute => attribute!["name"]!.GetValue<string>()),
                Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(profile.AsObject().ContainsKey("unmanagedAttributePolicy"), Is.False, "unmanaged attributes stay off");

            Assert.That((terms["enabled"]!.GetValue<bool>(), terms["defaultAction"]!.GetValue<bool>(), terms["priority"]!.GetValue<int>()),
                Is.EqualTo((true, true, 20)));

            Assert.That(providers.Select(provider => provider!["alias"]!.GetValue<string>()), Is.EquivalentTo(new[] { "google", "gitlab" }));
            Assert.That((google["trustEmail"]!.GetValue<bool>(), google["storeToken"]!.GetValue<bool>()), Is.EqualTo((true, false)));
            Assert.That(google["config"]!["clientId"]!.GetValue<string>(), Is.EqualTo(DemoRealm.Secrets["GOOGLE_CLIENT_ID"]));
            Assert.That(google["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("**********"), "Keycloak holds the secret; it shows the mask");
            Assert.That(google["config"]!["idpbridge.clientSecretHash"]!.GetValue<string>(), Does.StartWith("hmac-sha256:"));
            Assert.That((google["config"]!["syncMode"]!.GetValue<string>(), google["config"]!["defaultScope"]!.GetValue<string>()),
                Is.EqualTo(("IMPORT", "openid email profile")));
            Assert.That((gitlab["trustEmail"]!.GetValue<bool>(), gitlab["config"]!["defaultScope"]!.GetValue<string>()),
                Is.EqualTo((false, "read_user openid")));

            Assert.That((service["publicClient"]!.GetValue<bool>(), service["serviceAccountsEnabled"]!.GetValue<bool>(), service["standardFlowEnabled"]!.GetValue<bool>()),
                Is.EqualTo((false, true, false)));
            Assert.That(secret["value"]!.GetValue<string>(), Is.EqualTo(DemoRealm.Secrets["IDPBRIDGE_CLIENT_SECRET"]));
            Assert.That(app["publicClient"]!.GetValue<bool>(), Is.True);
            Assert.That(Strings(app["redirectUris"]), Is.EqualTo(new[] { "http://localhost:3000/*" }));
            Assert.That(Strings(app["webOrigins"]), Is.EqualTo(new[] { "http://localhost:3000" }));
            Assert.That(app["attributes"]!["pkce.code.challenge.method"]!.GetValue<string>(), Is.EqualTo("S256"));
        });
        Assert.That(await ServiceAccountRolesAsync(demo, service), Is.EquivalentTo(ServiceRoles));
    }

    [Test]
    public async Task PlanThenApplyAgain_AfterApply_CleanAndZeroWrites()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        await ApplyAsync(demo);
        await using var proxy = await RecordingProxy.StartAsync(Server.Server.BaseUrl);

        var plan = await IdpbridgeAsync(proxy, "realm", "plan", demo.Folder, "--detailed-exitcode");
        var reads = proxy.Requests.Count;
        proxy.Clear();
        var again = await IdpbridgeAsync(proxy, "realm", "apply", demo.Folder, "--auto-approve");

        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
            Assert.That(plan.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
            Assert.That(reads, Is.GreaterThan(5), "the plan read the realm through the proxy");
            Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
            Assert.That(again.Output, Does.Contain("No changes."));
            Assert.That(proxy.Requests, Is.Not.Empty, "the second apply went through the proxy");
            Assert.That(proxy.Writes, Is.Empty, "a second apply writes nothing");
        });
    }

    private async Task<string[]> ServiceAccountRolesAsync(DemoRealm demo, JsonNode client)
    {
        var user = await ReadAsync(demo, $"/clients/{client["id"]}/service-account-user");
        var management = (await ReadAsync(demo, "/clients?clientId=realm-management")).AsArray().Single()!;
        return (await ReadAsync(demo, $"/users/{user["id"]}/role-mappings/clients/{management["id"]}")).AsArray()
            .Select(role => role!["name"]!.GetValue<string>()).ToArray();
    }
}
