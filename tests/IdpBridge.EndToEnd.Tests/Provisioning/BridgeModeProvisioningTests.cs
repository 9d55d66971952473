using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>
/// The demo realm as the repository has it (bridge mode) provisioned on the real Keycloak, which has IdpBridge's
/// extension in its <c>providers/</c>: the plan says it registers the bridge, the apply does, Keycloak's own terms
/// step is off, and a second apply writes nothing.
/// </summary>
public sealed class BridgeModeProvisioningTests : ProvisioningFixture
{
    [Test]
    public async Task PlanApplyPlan_BridgeModeDemoRealm_RegistersTheBridgeOnceAndTurnsTheBuiltInTermsStepOff()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        // A realm provisioned in Admin API mode before: the bridge is not registered yet, TERMS_AND_CONDITIONS is on.
        await Admin.SendAsync(HttpMethod.Delete, $"realms/{Uri.EscapeDataString(demo.Name)}/authentication/required-actions/idpbridge-terms");
        var terms = (await ReadAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS")).AsObject();
        terms["enabled"] = true;
        terms["defaultAction"] = true;
        await WriteAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS", terms);

        var plan = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");
        var apply = await ApplyAsync(demo);
        var bridge = await ReadAsync(demo, "/authentication/required-actions/idpbridge-terms");
        var builtIn = await ReadAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS");
        var verifyProfile = await ReadAsync(demo, "/authentication/required-actions/VERIFY_PROFILE");
        await using var proxy = await RecordingProxy.StartAsync(Server.Server.BaseUrl);
        var again = await IdpbridgeAsync(proxy, "realm", "apply", demo.Folder, "--auto-approve");

        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
            Assert.That(plan.Output, Does.Contain(string.Join('\n',
                "required-action:",
                "  + idpbridge-terms (register: installed in Keycloak, not yet registered in the realm)",
                "      alias: + \"idpbridge-terms\"",
                "      name: + \"IdpBridge terms (versioned)\"",
                "      providerId: + \"idpbridge-terms\"",
                "      enabled: + true",
                "      defaultAction: + false",
                "      priority: + 20",
                "  ~ TERMS_AND_CONDITIONS",
                "      enabled: true → false",
                "      defaultAction: true → false")));
            Assert.That(apply.Output, Does.Contain("  done + required-action idpbridge-terms").And.Contain("  done ~ required-action TERMS_AND_CONDITIONS"));
            Assert.That(
                (bridge["providerId"]!.GetValue<string>(), bridge["enabled"]!.GetValue<bool>(), bridge["defaultAction"]!.GetValue<bool>(),
                    bridge["priority"]!.GetValue<int>()),
                Is.EqualTo(("idpbridge-terms", true, false, 20)), "enabled, not a default action: it decides by itself whom to ask");
            Assert.That((builtIn["enabled"]!.GetValue<bool>(), builtIn["defaultAction"]!.GetValue<bool>()), Is.EqualTo((false, false)),
                "Keycloak's own terms step neither runs nor is given to new users");
            Assert.That(bridge["priority"]!.GetValue<int>(), Is.LessThan(verifyProfile["priority"]!.GetValue<int>()),
                "the terms step comes before VERIFY_PROFILE (90), where Keycloak's own terms step sits (20)");
            Assert.That(again.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
            Assert.That(proxy.Writes, Is.Empty, "a second apply writes nothing");
        });
    }

    [Test]
    public async Task Export_BridgeModeRealm_PlansCleanAgainstTheRealm()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var file = Path.Combine(Path.GetDirectoryName(demo.Folder)!, "export.json");

        var export = await IdpbridgeAsync("realm", "export", demo.Name, "-f", file);
        var plan = await IdpbridgeAsync("realm", "plan", file, "--detailed-exitcode");

        var actions = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file))!["requiredActions"]!.AsArray()
            .ToDictionary(action => action!["alias"]!.GetValue<string>(), action => action!["enabled"]!.GetValue<bool>());
        Assert.Multiple(() =>
        {
            Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
            Assert.That((actions["idpbridge-terms"], actions["TERMS_AND_CONDITIONS"]), Is.EqualTo((true, false)));
            Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
            Assert.That(plan.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
        });
    }

    [Test]
    public async Task PublishAndSync_AsTheBridgeModeDemoClient_WorkWithItsThreeRoles()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var store = Directory.CreateTempSubdirectory("idpbridge-e2e-bridge-client-").FullName;
        try
        {
            // The service's own client as the demo realm grants it (bridge mode: manage-realm, view-events, view-users).
            async Task<CliRun> AsTheDemoClientAsync(params string[] args)
            {
                var cli = Server.Cli();
                cli.Environment["IdpBridge__Keycloak__Realm"] = demo.Name;
                cli.Environment["IdpBridge__Keycloak__ClientId"] = "idpbridge";
                cli.Environment["IdpBridge__Keycloak__ClientSecret"] = DemoRealm.Secrets["IDPBRIDGE_CLIENT_SECRET"];
                cli.Environment["IdpBridge__Storage__SqlitePath"] = Path.Combine(store, "idpbridge.db");
                var run = await cli.RunAsync(args);
                AssertNoSecretIn($"idpbridge {string.Join(' ', args)}", run.Output + run.Error);
                return run;
            }

            var policy = Path.Combine(demo.Folder, "policies", "privacy", "v1");
            var publish = await AsTheDemoClientAsync("policy", "publish", Path.Combine(policy, "es.md"), Path.Combine(policy, "en.md"), "--realm", demo.Name);
            var sync = await AsTheDemoClientAsync("ledger", "sync", "--realm", demo.Name);

            Assert.Multiple(() =>
            {
                Assert.That(publish.ExitCode, Is.EqualTo(0), publish.ToString());
                Assert.That(sync.ExitCode, Is.EqualTo(0), sync.ToString());
                Assert.That(sync.Output, Does.Contain("Events are on in the realm."), sync.ToString());
            });
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
