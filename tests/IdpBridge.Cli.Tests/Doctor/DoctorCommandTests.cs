using System.Text.Json.Nodes;
using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Core.Doctor;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Doctor;

/// <summary><c>idpbridge doctor</c> against the simulator: each check's outcomes, the requests it sends (reads only), exit codes.</summary>
public sealed class DoctorCommandTests
{
    private static readonly string Policies = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    [Test]
    public async Task Doctor_ProvisionedDemoRealmWithAPublishedVersion_AllOkExit0_OnlyReads()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        await ProvisionDemoAsync(harness);
        var before = harness.Simulator.Requests.Count;

        var run = await harness.RunAsync("doctor", "--realm", "externos");

        var sent = harness.Simulator.Requests.Skip(before).Select(request => $"{request.Method} {request.Path}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(Lines(run).Where(line => !line.StartsWith("ok ", StringComparison.Ordinal)), Is.EqualTo(new[] { "Realm 'externos': no problem." }));
            Assert.That(run.Output, Does.Contain("Keycloak answers at " + harness.Simulator.Url + ", version 26.7.3  [keycloak_reachable]"));
            Assert.That(run.Output, Does.Contain("bridge mode: the required action idpbridge-terms is registered and enabled  [terms_ready]"));
            Assert.That(run.Output, Does.Contain("events are stored (CUSTOM_REQUIRED_ACTION, CUSTOM_REQUIRED_ACTION_ERROR, REGISTER), kept 31536000 s"));
            Assert.That(run.Output, Does.Contain("ledger: the token holds view-events, view-users"));
            Assert.That(run.Output, Does.Not.Contain("rollout:"), "bridge mode: no rollout writes users");
            Assert.That(sent, Is.EqualTo(new[]
            {
                "POST /realms/master/protocol/openid-connect/token",
                "GET /admin/serverinfo",
                "GET /admin/realms/externos",
                "GET /admin/realms/externos/authentication/required-actions",
                "GET /admin/realms/externos/events/config",
            }));
            Assert.That(run.Output + run.Error, Does.Not.Contain(harness.Simulator.AdminClientSecret));
        });
    }

    [Test]
    public async Task Doctor_ClientWithoutViewRealm_CutDownRealmAndTheRoleNamed_Exit1()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var realm = AdminApiRealm(harness);
        // manage-realm passes for view-realm too: the client has neither.
        SignInAs(harness, realm, Without(Without(AllRoles, "view-realm"), "manage-realm"));

        var run = await harness.RunAsync("doctor", "--realm", realm);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain(
                $"problem  realm '{realm}' answers only its cut-down form: client 'doctor' lacks view-realm  [realm_cut_down]"));
            Assert.That(run.Output, Does.Contain($"fix: grant client 'doctor' the realm-management role view-realm of realm '{realm}'"));
            Assert.That(run.Output, Does.Contain("problem  plan: client 'doctor' lacks view-realm (the feature needs"));
            Assert.That(run.Output, Does.Contain("problem  rollout: client 'doctor' lacks view-realm (the feature needs view-realm, manage-users)"));
            Assert.That(run.Output, Does.Contain("(version not shown to this client: it takes view-realm)"));
            Assert.That(run.Output, Does.Contain("problem  Keycloak refused the terms check (403): client 'doctor' lacks view-realm"));
            Assert.That(run.Error, Does.Not.Contain("   at "));
        });
    }

    [Test]
    public async Task Doctor_ClientWithoutManageUsers_ApplyAndRolloutNameIt_Exit1()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var realm = AdminApiRealm(harness);
        SignInAs(harness, realm, Without(AllRoles, "manage-users"));

        var run = await harness.RunAsync("doctor", "--realm", realm, "--output", "json");

        var findings = JsonNode.Parse(run.Output)!["findings"]!.AsArray();
        var missing = findings.Where(finding => finding!["code"]!.GetValue<string>() == DoctorCodes.RolesMissing).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(missing.Select(finding => finding!["facts"]!["feature"]!.GetValue<string>()), Is.EqualTo(new[] { "apply", "rollout" }));
            Assert.That(missing.Select(finding => finding!["facts"]!["missing"]!.GetValue<string>()), Is.All.EqualTo("manage-users"));
            Assert.That(missing.Select(finding => finding!["status"]!.GetValue<string>()), Is.All.EqualTo("problem"));
            Assert.That(missing[0]!["fix"]!.GetValue<string>(), Does.StartWith($"grant client 'doctor' of realm '{realm}' the roles manage-users of client 'realm-management'"));
            Assert.That(findings.Single(finding => finding!["code"]!.GetValue<string>() == DoctorCodes.TermsReady)!["facts"]!["mode"]!.GetValue<string>(), Is.EqualTo("admin-api"));
        });
    }

    [Test]
    public async Task Doctor_OnlyTheFeaturesAsked_OthersRolesNotChecked()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var realm = AdminApiRealm(harness);
        SignInAs(harness, realm, [.. FeatureRoles.Ledger]);

        var run = await harness.RunAsync("doctor", "--realm", realm, "--feature", "ledger");

        Assert.That(Lines(run).Where(line => line.Contains("[roles_", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "ok       ledger: the token holds view-events, view-users  [roles_granted]",
        }));
    }

    [Test]
    public async Task Doctor_NewRealm_TermsOffEventsOffStoreAbsent_SaysWhatToFix()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        harness.Simulator.CreateRealm("bare");

        var run = await harness.RunAsync("doctor", "--realm", "bare");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain(
                "problem  no terms step is on: neither idpbridge-terms (bridge: installed) nor TERMS_AND_CONDITIONS (registered) is enabled  [terms_off]"));
            Assert.That(run.Output, Does.Contain("problem  the realm stores no events"));
            Assert.That(run.Output, Does.Contain("turn on user events with CUSTOM_REQUIRED_ACTION, CUSTOM_REQUIRED_ACTION_ERROR, REGISTER"));
            Assert.That(run.Output, Does.Contain("warning  store SQLite " + harness.Settings["IdpBridge:Storage:SqlitePath"] + " does not exist yet"));
            Assert.That(File.Exists(harness.Settings["IdpBridge:Storage:SqlitePath"]), Is.False, "the doctor creates no store");
            Assert.That(harness.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task Doctor_EventsWithoutTheLedgersTypesAndKeptForever_ProblemAndWarning()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var realm = AdminApiRealm(harness);
        var simulated = harness.Simulator.Realm(realm);
        simulated.SetSetting("enabledEventTypes", new JsonArray("LOGIN", "REGISTER"));
        simulated.SetSetting("eventsExpiration", null);

        var run = await harness.RunAsync("doctor", "--realm", realm);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain(
                "problem  the realm does not store CUSTOM_REQUIRED_ACTION, CUSTOM_REQUIRED_ACTION_ERROR, which the record reads  [events_types_missing]"));
            Assert.That(run.Output, Does.Contain("warning  events never expire"));
        });
    }

    [Test]
    public async Task Doctor_RealmOfAnotherCase_NotFoundNamingTheRealThenSkips()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        harness.Simulator.CreateRealm("Externos");

        var run = await harness.RunAsync("doctor", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain("problem  realm 'externos' does not exist; 'Externos' does (realm names are case-sensitive)  [realm_not_found]"));
            Assert.That(run.Output, Does.Contain("not checked (they need the checks above): terms, roles, events"));
        });
    }

    [Test]
    public async Task Doctor_TokenOfAnotherRealm_SaysWhichRealmsClientToUse_Exit1()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var other = AdminApiRealm(harness);
        harness.Simulator.CreateRealm("target");
        SignInAs(harness, other, AllRoles);

        var run = await harness.RunAsync("doctor", "--realm", "target");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain($"problem  a token of realm '{other}' cannot administer realm 'target'  [token_other_realm]"));
            Assert.That(harness.Simulator.Requests.Where(request => request.Path.StartsWith("/admin/realms/target", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task Doctor_WrongSecret_TokenRefusedNeverPrinted_Exit1()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        harness.Settings["IdpBridge:Keycloak:ClientSecret"] = "wrong-secret-9c1e";

        var run = await harness.RunAsync("doctor", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Output, Does.Contain(
                $"problem  realm 'master' refused a token to client '{harness.Simulator.AdminClientId}' (401: Invalid client or Invalid client credentials)  [token_refused]"));
            Assert.That(run.Output, Does.Contain("not checked (they need the checks above): realm, terms, roles, events"));
            Assert.That(run.Output + run.Error, Does.Not.Contain("wrong-secret-9c1e"));
        });
    }

    [Test]
    public async Task Doctor_NothingListening_UnreachableAtOnce_Exit1()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        harness.Settings["IdpBridge:Keycloak:Url"] = "http://127.0.0.1:9";

        var run = await harness.RunAsync("doctor", "--realm", "externos", "--output", "json");

        var report = JsonNode.Parse(run.Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(report["findings"]![0]!["code"]!.GetValue<string>(), Is.EqualTo(DoctorCodes.Unreachable));
            Assert.That(report["findings"]![0]!["fix"]!.GetValue<string>(), Does.Contain("--keycloak-url or IdpBridge__Keycloak__Url"));
            Assert.That(report["notChecked"]!.AsArray().Select(area => area!.GetValue<string>()), Is.EqualTo(new[] { "realm", "terms", "roles", "events" }));
            Assert.That(report["ok"]!.GetValue<bool>(), Is.False);
        });
    }

    [TestCase("--feature", "nonsense")]
    [TestCase("--output", "yaml")]
    public async Task Doctor_BadValue_Usage64(string option, string value)
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("doctor", "--realm", "externos", option, value);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.Contain(value));
            Assert.That(harness.Simulator.Requests, Is.Empty);
        });
    }

    private static readonly string[] AllRoles = [.. Enum.GetValues<IdpBridgeFeature>().SelectMany(FeatureRoles.Of).Distinct()];

    private static string[] Without(string[] roles, string role) => roles.Where(candidate => candidate != role).ToArray();

    private static List<string> Lines(CliRun run) =>
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith("fix:", StringComparison.Ordinal)).ToList();

    /// <summary>The demo realm applied (bridge mode), v1 published: everything the doctor checks is in place.</summary>
    private static async Task ProvisionDemoAsync(CliHarness harness)
    {
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
        var publish = await harness.RunAsync("policy", "publish", Path.Combine(Policies, "v1", "es.md"), Path.Combine(Policies, "v1", "en.md"), "--realm", "externos");
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.ToString());
    }

    /// <summary>A realm in Admin API mode (terms action on and default), with the ledger's events kept a year.</summary>
    private static string AdminApiRealm(CliHarness harness)
    {
        var realm = harness.CreateTermsRealm("doctored");
        realm.SetSetting("enabledEventTypes", new JsonArray("LOGIN", "REGISTER", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"));
        realm.SetSetting("eventsExpiration", 31536000);
        return realm.Name;
    }

    /// <summary>Signs in as a new client of <paramref name="realm"/> whose service account holds <paramref name="roles"/>.</summary>
    private static void SignInAs(CliHarness harness, string realm, string[] roles)
    {
        harness.Settings["IdpBridge:Keycloak:Realm"] = realm;
        harness.Settings["IdpBridge:Keycloak:ClientId"] = "doctor";
        harness.Settings["IdpBridge:Keycloak:ClientSecret"] = harness.Simulator.AddServiceAccountClient(realm, "doctor", roles);
    }
}
