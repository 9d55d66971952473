using System.Text.Json.Nodes;
using IdpBridge.Core.Doctor;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Permissions;

/// <summary>
/// The least <c>realm-management</c> roles of each feature, as the README's Security section lists them, on the real
/// Keycloak: a client of the realm holding exactly that set runs the feature through <c>idpbridge</c>; the set
/// without one of its roles fails with one error line naming that role, no stack trace.
/// </summary>
[TestFixture]
public sealed class ServiceAccountRolesTests
{
    /// <summary><c>realm plan</c> and <c>realm export</c>.</summary>
    internal static readonly string[] ReadRoles = [.. FeatureRoles.Plan];

    /// <summary><c>realm apply</c> of the demo file onto an existing realm (manage-events only to grant the demo's idpbridge client view-events).</summary>
    internal static readonly string[] ApplyRoles = [.. FeatureRoles.Apply, "manage-events"];

    /// <summary><c>policy publish</c>: the terms texts and the bridge's realm attributes (the service's terms worker makes the same calls).</summary>
    internal static readonly string[] PublishRoles = [.. FeatureRoles.Publish];

    /// <summary><c>rollout start</c> in Admin API mode (the service's rollout worker makes the same calls).</summary>
    internal static readonly string[] RolloutRoles = [.. FeatureRoles.Rollout];

    /// <summary><c>ledger sync</c> (the service's ledger worker makes the same calls).</summary>
    internal static readonly string[] SyncRoles = [.. FeatureRoles.Ledger];

    /// <summary>Every feature's roles: what <c>idpbridge doctor</c> finds all ok.</summary>
    private static readonly string[] EveryFeaturesRoles = [.. Enum.GetValues<IdpBridgeFeature>().SelectMany(FeatureRoles.Of).Distinct()];

    private RealServer server = null!;
    private DemoRealm demo = null!;

    [OneTimeSetUp]
    public async Task ApplyTheDemoRealmInAdminApiMode()
    {
        server = await RealServer.SharedAsync();
        demo = DemoRealm.CopyInAdminApiMode(server.Admin);
        var apply = await server.Cli().RunAsync("realm", "apply", demo.Folder, "--auto-approve");
        Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
    }

    [OneTimeTearDown]
    public async Task DeleteTheRealm()
    {
        await demo.DisposeAsync();
        server.Dispose();
    }

    [Test]
    public async Task RealmPlanAndExport_ExactlyTheReadRoles_SeeTheWholeRealm()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, ReadRoles);

        var plan = await RunAsync(client, "realm", "plan", demo.Folder, "--detailed-exitcode");
        var export = await RunAsync(client, "realm", "export", demo.Name);

        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
        Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
        var exported = JsonNode.Parse(export.Output)!;
        Assert.That(exported["identityProviders"]!.AsArray().Select(provider => provider!["alias"]!.GetValue<string>()), Is.EquivalentTo(new[] { "google", "gitlab" }));
        Assert.That(exported["clients"]!.AsArray().Select(found => found!["clientId"]!.GetValue<string>()), Does.Contain("idpbridge"));
    }

    [Test]
    public async Task RealmPlan_ReadRolesWithoutViewIdentityProviders_FailsNamingIt()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, Without(ReadRoles, "view-identity-providers"));

        var plan = await RunAsync(client, "realm", "plan", demo.Folder);

        AssertFailedNaming(plan, "view-identity-providers");
    }

    [Test]
    public async Task RealmPlanExportAudit_ReadRolesWithoutViewRealm_RefuseTheCutDownRealmNamingTheRole()
    {
        // Keycloak 26.7.3 answers GET /admin/realms/{realm} with 200 and a cut-down realm to such a client, no 403.
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, Without(ReadRoles, "view-realm"));

        var runs = new[]
        {
            await RunAsync(client, "realm", "plan", demo.Folder, "--detailed-exitcode"),
            await RunAsync(client, "realm", "export", demo.Name),
            await RunAsync(client, "realm", "audit", demo.Name),
        };

        Assert.Multiple(() =>
        {
            foreach (var run in runs)
            {
                Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
                Assert.That(run.Error, Does.Contain($"Keycloak answered 200 OK to GET /admin/realms/{demo.Name}: only the cut-down realm")
                    .And.Contain($"lacks the realm-management role view-realm of realm '{demo.Name}'"), run.ToString());
                Assert.That(run.Output, Does.Not.Contain("to change"), "no plan from a cut-down realm");
                Assert.That(run.Error, Does.Not.Contain("   at "));
            }
        });
    }

    [Test]
    public async Task RealmApply_ExactlyTheApplyRoles_ProvisionEveryPartOfAnExistingRealm()
    {
        await using var target = DemoRealm.CopyInAdminApiMode(server.Admin);
        await server.Admin.CreateRealmAsync(new JsonObject { ["realm"] = target.Name, ["enabled"] = true });
        var lacking = await RoleClient.CreateAsync(server.Admin, target.Name, Without(ApplyRoles, "manage-identity-providers"));
        var client = await RoleClient.CreateAsync(server.Admin, target.Name, ApplyRoles);

        var refused = await RunAsync(lacking, "realm", "apply", target.Folder, "--auto-approve");
        var apply = await RunAsync(client, "realm", "apply", target.Folder, "--auto-approve");
        var plan = await server.Cli().RunAsync("realm", "plan", target.Folder, "--detailed-exitcode");

        // The apply plans first: reading the IdPs is what fails, and manage-identity-providers would allow it.
        AssertFailedNaming(refused, "view-identity-providers");
        Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
        Assert.That(plan.ExitCode, Is.EqualTo(0), "the realm matches the file: " + plan);
    }

    [Test]
    public async Task PublishThenRollout_AdminApiMode_ExactlyTheirRoles_MarkEveryUser()
    {
        var users = new[] { "rol-ana", "rol-ben", "rol-eva" };
        await server.Admin.ImportUsersAsync(demo.Name, new JsonArray(users.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["enabled"] = true, ["email"] = $"{username}@example.org", ["emailVerified"] = true,
            ["firstName"] = "Rol", ["lastName"] = "Prueba",
        }).ToArray()));
        var publisher = await RoleClient.CreateAsync(server.Admin, demo.Name, PublishRoles);
        var rollout = await RoleClient.CreateAsync(server.Admin, demo.Name, RolloutRoles);
        var rolloutWithoutViewRealm = await RoleClient.CreateAsync(server.Admin, demo.Name, Without(RolloutRoles, "view-realm"));
        var publisherWithoutManageRealm = await RoleClient.CreateAsync(server.Admin, demo.Name, "view-realm");
        var policies = Path.Combine(DemoRealm.Source, "policies", "privacy");

        var publish = await RunAsync(publisher, "policy", "publish", Path.Combine(policies, "v1", "es.md"), Path.Combine(policies, "v1", "en.md"), "--realm", demo.Name);
        var refusedStart = await RunAsync(rolloutWithoutViewRealm, "rollout", "start", "--yes", "--realm", demo.Name, "--version", "1");
        var start = await RunAsync(rollout, "rollout", "start", "--yes", "--realm", demo.Name, "--version", "1");
        var refusedPublish = await RunAsync(
            publisherWithoutManageRealm,
            "policy", "publish", Path.Combine(policies, "v2", "es.md"), Path.Combine(policies, "v2", "en.md"), "--realm", demo.Name);

        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.ToString());
        var realm = (await server.Admin.GetAsync($"realms/{demo.Name}"))!;
        Assert.That(realm["attributes"]!["idpbridge.terms.version"]!.GetValue<string>(), Is.EqualTo("1"));
        Assert.That((await server.Admin.GetAsync($"realms/{demo.Name}/localization/en"))!["termsText"], Is.Not.Null);
        AssertFailedNaming(refusedStart, "view-realm");
        Assert.That(start.ExitCode, Is.EqualTo(0), start.ToString());
        foreach (var username in users)
        {
            // The demo realm uses the email as the username.
            var user = (await server.Admin.GetAsync($"realms/{demo.Name}/users?exact=true&email={username}@example.org"))!.AsArray().Single()!;
            Assert.That(user["requiredActions"]!.AsArray().Select(action => action!.GetValue<string>()), Does.Contain("TERMS_AND_CONDITIONS"), username);
        }

        AssertFailedNaming(refusedPublish, "manage-realm");
    }

    [Test]
    public async Task LedgerSync_ExactlyItsRoles_ReadsTheEvents()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, SyncRoles);
        var lacking = await RoleClient.CreateAsync(server.Admin, demo.Name, Without(SyncRoles, "view-users"));

        var sync = await RunAsync(client, "ledger", "sync", "--realm", demo.Name);
        var refused = await RunAsync(lacking, "ledger", "sync", "--realm", demo.Name);

        Assert.That(sync.ExitCode, Is.EqualTo(0), sync.ToString());
        Assert.That(sync.Output, Does.Contain("Events are on in the realm."));
        AssertFailedNaming(refused, "view-users");
    }

    [Test]
    public async Task Doctor_ProvisionedDemoRealm_ClientWithEveryFeaturesRoles_AllOkExit0()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, EveryFeaturesRoles);
        // Any command that uses the store creates and migrates it: the doctor itself never does.
        var list = await server.Cli().RunAsync("policy", "list", "--realm", demo.Name, "--output", "json");

        var run = await RunAsync(client, "doctor", "--realm", demo.Name);

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(lines.Where(line => !line.StartsWith("ok ", StringComparison.Ordinal)), Is.EqualTo(new[] { $"Realm '{demo.Name}': no problem." }), run.ToString());
            Assert.That(run.Output, Does.Contain(", version 26.7.3  [keycloak_reachable]"));
            Assert.That(run.Output, Does.Contain("Admin API mode: the required action TERMS_AND_CONDITIONS is enabled and a default action"));
            Assert.That(run.Output, Does.Contain("rollout: the token holds view-realm, manage-users"));
            Assert.That(run.Output, Does.Contain("events are stored (CUSTOM_REQUIRED_ACTION, CUSTOM_REQUIRED_ACTION_ERROR, REGISTER), kept 31536000 s"));
            Assert.That(run.Output, Does.Contain("schema").And.Contain("(current)  [store_ready]"));
        });
    }

    [Test]
    public async Task Doctor_ClientWithoutViewRealm_NamesTheRoleToGrant_Exit1()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, [.. EveryFeaturesRoles.Where(role => role is not ("view-realm" or "manage-realm"))]);

        var run = await RunAsync(client, "doctor", "--realm", demo.Name);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain(
                $"problem  realm '{demo.Name}' answers only its cut-down form: client '{client.ClientId}' lacks view-realm  [realm_cut_down]"));
            Assert.That(run.Output, Does.Contain($"fix: grant client '{client.ClientId}' the realm-management role view-realm of realm '{demo.Name}'"));
            Assert.That(run.Output, Does.Contain($"problem  rollout: client '{client.ClientId}' lacks view-realm (the feature needs view-realm, manage-users)"));
            Assert.That(run.Error, Does.Not.Contain("   at "));
        });
    }

    [Test]
    public async Task Doctor_ClientWithoutManageUsers_NamesTheRoleToGrant_Exit1()
    {
        var client = await RoleClient.CreateAsync(server.Admin, demo.Name, [.. EveryFeaturesRoles.Where(role => role != "manage-users")]);

        var run = await RunAsync(client, "doctor", "--realm", demo.Name);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain($"problem  rollout: client '{client.ClientId}' lacks manage-users (the feature needs view-realm, manage-users)  [roles_missing]"));
            Assert.That(run.Output, Does.Contain(
                $"fix: grant client '{client.ClientId}' of realm '{demo.Name}' the roles manage-users of client 'realm-management'"));
            Assert.That(run.Output, Does.Contain($"problem  apply: client '{client.ClientId}' lacks manage-users"));
            Assert.That(run.Output, Does.Contain("ok       ledger: the token holds view-events, view-users"));
        });
    }

    private static string[] Without(string[] roles, string role) => roles.Where(candidate => candidate != role).ToArray();

    /// <summary>Runs <c>idpbridge</c> as <paramref name="client"/>; fails if it printed the client's secret.</summary>
    private async Task<CliRun> RunAsync(RoleClient client, params string[] args)
    {
        var run = await client.Cli(server).RunAsync(args);
        Assert.That(run.Output + run.Error, Does.Not.Contain(client.Secret), "the client's secret was printed");
        return run;
    }

    /// <summary>The run failed with one error line that names <paramref name="role"/> of the demo realm, and no stack trace.</summary>
    private void AssertFailedNaming(CliRun run, string role)
    {
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("Keycloak answered 403 Forbidden to").And.Contain($"lacks the realm-management role {role} of realm '"), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("   at "), "no stack trace: " + run.Error);
    }
}
