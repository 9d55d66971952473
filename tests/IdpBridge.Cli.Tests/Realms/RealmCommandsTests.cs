using System.Text.Json.Nodes;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

public sealed class RealmCommandsTests
{
    [Test]
    public async Task Plan_AbsentRealm_ListsTheRealmCreationAndExits2WithDetailedExitcode()
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Output, Does.Contain("Realm 'externos' does not exist"));
            Assert.That(run.Output, Does.Contain("  + externos"));
            Assert.That(run.Output, Does.Match(@"Plan: \d+ to create, \d+ to change, 0 to delete\."));
            Assert.That(run.Output, Does.Contain("Users are asked for: email, first name, last name."));
            Assert.That(harness.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task Plan_KeycloakUrlOnTheCommandLine_UsedInsteadOfTheSetting()
    {
        using var harness = new CliHarness();
        var simulator = harness.Settings["IdpBridge:Keycloak:Url"]!;
        harness.Settings["IdpBridge:Keycloak:Url"] = "http://127.0.0.1:9";

        var run = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode", "--keycloak-url", simulator);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Output, Does.Contain("externos"));
    }

    [TestCase("not a url")]
    [TestCase("ftp://sso.example.org")]
    [TestCase("/relative")]
    public async Task Plan_KeycloakUrlNotAnHttpUrl_UsageErrorNamingTheOption(string value)
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--keycloak-url", value);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.Contain($"--keycloak-url must be an absolute http or https URL such as https://sso.example.org, not '{value}'."));
            Assert.That(harness.Simulator.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Apply_DemoRealmThenPlanAndApplyAgain_EmptyPlanAndNoWriteAtAll()
    {
        using var harness = new CliHarness();

        var first = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        harness.Simulator.ClearRequests();
        var plan = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");
        var second = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");

        var realm = harness.Simulator.Realm("externos");
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
            Assert.That(plan.Output, Does.Contain("No changes. Realm 'externos' matches the file."));
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(harness.Writes.Select(request => $"{request.Method} {request.Path}"), Is.Empty);
            Assert.That(realm.GetSetting("loginTheme")?.GetValue<string>(), Is.EqualTo("idpbridge"));
            // Bridge mode: IdpBridge's terms step registered and enabled, Keycloak's own off.
            Assert.That(realm.GetRequiredAction("idpbridge-terms")!["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(realm.GetRequiredAction("idpbridge-terms")!["defaultAction"]!.GetValue<bool>(), Is.False);
            Assert.That(realm.GetRequiredAction("idpbridge-terms")!["priority"]!.GetValue<long>(), Is.EqualTo(20));
            Assert.That(realm.GetRequiredAction("TERMS_AND_CONDITIONS")!["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(realm.GetRequiredAction("TERMS_AND_CONDITIONS")!["defaultAction"]!.GetValue<bool>(), Is.False);
            Assert.That(realm.GetUserProfile()["attributes"]!.AsArray().Select(attribute => attribute!["name"]!.GetValue<string>()),
                Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(realm.GetIdentityProviders().Select(provider => provider["alias"]!.GetValue<string>()), Is.EquivalentTo(new[] { "google", "gitlab" }));
        });
    }

    [Test]
    public async Task Plan_BridgeModeOnAKeycloakWithoutTheExtension_FailsNamingTheValueAndTheJarToInstall()
    {
        using var harness = new CliHarness(new SimulatorOptions());
        harness.Simulator.CreateRealm("externos");

        var bridge = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");
        var adminApi = await harness.RunAsync("realm", "apply", harness.AdminApiDemoRealm(), "--auto-approve");

        Assert.Multiple(() =>
        {
            Assert.That(bridge.ExitCode, Is.EqualTo(1), bridge.ToString());
            Assert.That(bridge.Error, Does.Contain(
                $"{Path.Combine(CliHarness.DemoRealm, "realm.json")}: $.requiredActions[0].providerId: Keycloak has no required-action provider " +
                "'idpbridge-terms' (realm 'externos' neither has it registered nor lists it as installed): IdpBridge's terms bridge is not " +
                "installed in this Keycloak: copy idpbridge-keycloak-extension.jar"));
            Assert.That(bridge.Error, Does.Not.Contain("   at "), "a message, not a stack trace");
            Assert.That(adminApi.ExitCode, Is.Zero, "the Admin API variant suits a Keycloak without the extension: " + adminApi);
            Assert.That(harness.Simulator.Realm("externos").GetRequiredAction("idpbridge-terms"), Is.Null, "declared off, so never registered");
            Assert.That(harness.Simulator.Realm("externos").GetRequiredAction("TERMS_AND_CONDITIONS")!["enabled"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Plan_BridgeInstalledNotRegistered_SaysItRegistersIt()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        harness.Simulator.Realm("externos").RemoveRequiredAction("idpbridge-terms");

        var plan = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");
        var json = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--output", "json");

        var change = JsonNode.Parse(json.Output)!["changes"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
            Assert.That(plan.Output, Does.Contain(
                "required-action:\n  + idpbridge-terms (register: installed in Keycloak, not yet registered in the realm)\n      alias: + \"idpbridge-terms\"\n"));
            Assert.That((change["action"]!.GetValue<string>(), change["name"]!.GetValue<string>(), change["note"]!.GetValue<string>()),
                Is.EqualTo(("create", "idpbridge-terms", "register: installed in Keycloak, not yet registered in the realm")));
        });
    }

    [Test]
    public async Task Plan_DemoRealm_CostsAboutOneGetPerResourceCollection()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        harness.Simulator.ClearRequests();

        await harness.RunAsync("realm", "plan", CliHarness.DemoRealm);

        var reads = harness.Simulator.Requests.Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal)).ToList();
        // realm, user profile, required actions, realm roles, client scopes (with their mappers), groups and each
        // declared group's roles, the realm's default and optional scopes, clients, realm-management roles,
        // service-account user and its roles, identity providers (and each declared one whole), and one mapper list
        // per declared provider with mappers.
        Assert.That(reads, Has.Count.LessThanOrEqualTo(16), string.Join("\n", reads.Select(request => $"{request.Method} {request.Path}")));
        Assert.That(reads.All(request => request.Method == "GET"), Is.True);
    }

    [Test]
    public async Task Plan_DriftMadeInKeycloak_ShowsFieldByFieldAndApplyRepairsIt()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        var realm = harness.Simulator.Realm("externos");
        realm.SetSetting("loginTheme", "keycloak");
        realm.SetSetting("attributes", new JsonObject { ["frontendUrl"] = "https://sso.example.org" });
        realm.ConfigureRequiredAction("idpbridge-terms", enabled: false);

        var plan = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        var again = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");

        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
            Assert.That(plan.Output, Does.Contain("loginTheme: \"keycloak\" → \"idpbridge\""));
            Assert.That(plan.Output, Does.Contain("  ~ idpbridge-terms"));
            Assert.That(plan.Output, Does.Contain("enabled: false → true"));
            Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            // The undeclared realm attribute survives the PUT that replaces the attribute set.
            Assert.That(realm.GetSetting("attributes")!["frontendUrl"]!.GetValue<string>(), Is.EqualTo("https://sso.example.org"));
        });
    }

    [Test]
    public async Task PlanAndApply_SecretsFromTheEnvironment_NeverPrintedAndWrittenOnlyWhenChanged()
    {
        using var harness = new CliHarness();
        var firstApply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        harness.Settings["GOOGLE_CLIENT_SECRET"] = "g-secret-rotated-41c0";
        harness.Simulator.ClearRequests();

        var plan = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--output", "json");
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");

        var google = harness.Simulator.Realm("externos").GetIdentityProviders().Single(provider => provider["alias"]!.GetValue<string>() == "google");
        var everything = string.Join("\n", firstApply.Output, firstApply.Error, plan.Output, plan.Error, apply.Output, apply.Error);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Output, Does.Contain("\"path\": \"config.clientSecret\"").And.Contain("(sensitive)"));
            Assert.That(harness.Writes.Select(request => $"{request.Method} {request.Path}"),
                Is.EqualTo(new[] { "PUT /admin/realms/externos/identity-provider/instances/google" }));
            Assert.That(google["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("g-secret-rotated-41c0"));
            foreach (var secret in harness.Secrets.Append("g-secret-3f9a1c"))
            {
                Assert.That(everything, Does.Not.Contain(secret), $"secret {secret[..4]}… was printed");
            }
        });
    }

    [Test]
    public async Task Apply_NoTerminalAndNoAutoApprove_RefusesWithoutWriting()
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync(interactive: false, input: "", "realm", "apply", CliHarness.DemoRealm);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), "a missing --auto-approve is a usage error");
            Assert.That(run.Error, Does.Contain("--auto-approve"));
            Assert.That(harness.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task Apply_PersonAnswersNo_ChangesNothing()
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync(interactive: true, input: "no\n", "realm", "apply", CliHarness.DemoRealm);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Contain("Only 'yes' is accepted"));
            Assert.That(harness.Writes, Is.Empty);
            Assert.That(harness.Simulator.HasRealm("externos"), Is.False);
        });
    }

    [Test]
    public async Task Plan_InvalidJson_IsRefusedWithFileLineAndColumnBeforeAnyRequest()
    {
        using var harness = new CliHarness();
        using var file = new TempFile("{\n  \"realm\": \"shop\",\n  \"enabled\": tru\n}\n");

        var run = await harness.RunAsync("realm", "plan", file.Path);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain(file.Name + ":3:"));
            Assert.That(harness.Simulator.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Apply_FailureHalfway_ReportsDoneAndNotDoneAndARerunConverges()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        var realm = harness.Simulator.Realm("externos");
        realm.SetSetting("loginTheme", "keycloak");
        realm.ConfigureRequiredAction("idpbridge-terms", enabled: false);
        harness.Simulator.Faults.FailNext(1, 400, method: "PUT");

        var failed = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        var rerun = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        var plan = await harness.RunAsync("realm", "plan", CliHarness.DemoRealm, "--detailed-exitcode");

        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
            Assert.That(failed.Error, Does.Contain("error: apply stopped at realm externos"));
            Assert.That(failed.Error, Does.Contain("Not done (2): realm externos, required-action idpbridge-terms"));
            Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
            Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
        });
    }

    [Test]
    public async Task Export_LiveRealm_PlansAsNoChange()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        using var file = new TempFile();

        var export = await harness.RunAsync("realm", "export", "externos", "--file", file.Path);
        harness.Simulator.ClearRequests();
        var plan = await harness.RunAsync("realm", "plan", file.Path, "--detailed-exitcode");

        Assert.Multiple(() =>
        {
            Assert.That(export.ExitCode, Is.Zero, export.ToString());
            Assert.That(File.ReadAllText(file.Path), Does.Not.Contain("g-secret-3f9a1c").And.Not.Contain("idpbridge-secret-5b6e"));
            Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
        });
    }

    [TestCase("keycloak-quickstarts-js-spa-realm-import.json")]
    public async Task Plan_RealKeycloakExport_PlansAndListsIgnoredSectionsInOneWarning(string export)
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("realm", "plan", SharedData.KeycloakFile("realm-exports", export), "--detailed-exitcode");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Error.Split('\n').Count(line => line.Contains("does not manage these sections", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain("users (2 people"));
            Assert.That(run.Output, Does.Contain("realm-role:\n  + user"), "the import's realm roles are planned");
        });
    }

    [TestCase("master")]
    [TestCase("Migration")]
    [TestCase("Migration2")]
    public async Task Plan_EachRealmOfTheKeycloak24Export_PlansWithoutCrashing(string realmName)
    {
        using var harness = new CliHarness();
        var realms = JsonNode.Parse(File.ReadAllText(SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json")))!.AsArray();
        using var file = new TempFile(realms.Single(realm => realm!["realm"]!.GetValue<string>() == realmName)!.ToJsonString());

        var plan = await harness.RunAsync("realm", "plan", file.Path, "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
            Assert.That(JsonNode.Parse(plan.Output)!["realm"]!.GetValue<string>(), Is.EqualTo(realmName));
            Assert.That(plan.Error, Does.Contain("does not manage these sections"));
            Assert.That(harness.Writes, Is.Empty);
        });
    }
}
