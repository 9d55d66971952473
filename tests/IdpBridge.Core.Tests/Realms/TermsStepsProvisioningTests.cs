using IdpBridge.Core.Realms;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>
/// Bridge mode in a realm file: IdpBridge's <c>idpbridge-terms</c> registered from <c>requiredActions</c> when Keycloak
/// has it installed, refused at plan time when it has not, and never beside an enabled TERMS_AND_CONDITIONS.
/// </summary>
public sealed class TermsStepsProvisioningTests : ProvisionerTestBase
{
    private const string BridgeMode = """
        { "realm": "shop", "requiredActions": [
          { "alias": "idpbridge-terms", "name": "IdpBridge terms (versioned)", "providerId": "idpbridge-terms", "enabled": true, "defaultAction": false, "priority": 20 },
          { "alias": "TERMS_AND_CONDITIONS", "enabled": false, "defaultAction": false } ] }
        """;

    [Test]
    public async Task Apply_BridgeInstalledNotRegistered_PlanSaysRegisterThenRegistersAndConfiguresIt()
    {
        RestartSimulator(new SimulatorOptions { InstalledRequiredActionProviders = [("idpbridge-terms", "IdpBridge terms (versioned)")] });
        // As Admin API mode leaves a realm: Keycloak's own terms step on and a default action.
        Simulator.CreateRealm("shop").ConfigureRequiredAction("TERMS_AND_CONDITIONS", enabled: true, defaultAction: true);
        var config = Config(BridgeMode);
        Simulator.ClearRequests();

        var plan = await Provisioner.PlanAsync(config);
        var planRequests = Admin(Simulator);
        Simulator.ClearRequests();
        var result = await Provisioner.ApplyAsync(config, plan);
        var applyRequests = Admin(Simulator);
        var again = await Provisioner.PlanAsync(config);

        var bridge = Simulator.Realm("shop").GetRequiredAction("idpbridge-terms")!;
        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Select(change => (change.Kind, change.ToString(), change.Note)), Is.EqualTo(new[]
            {
                (ChangeKind.Create, "required-action idpbridge-terms", (string?)"register: installed in Keycloak, not yet registered in the realm"),
                (ChangeKind.Update, "required-action TERMS_AND_CONDITIONS", null),
            }));
            Assert.That(planRequests, Is.EqualTo(new[]
            {
                "GET /admin/realms/shop", "GET /admin/realms/shop/users/profile", "GET /admin/realms/shop/authentication/required-actions",
                "GET /admin/realms/shop/authentication/unregistered-required-actions",
            }), "the list of installed providers is read only for an action the realm lacks");
            Assert.That(result.Succeeded, Is.True, result.Failure?.Message);
            Assert.That(applyRequests, Is.EqualTo(new[]
            {
                "POST /admin/realms/shop/authentication/register-required-action",
                "GET /admin/realms/shop/authentication/required-actions/idpbridge-terms",
                "PUT /admin/realms/shop/authentication/required-actions/idpbridge-terms",
                "PUT /admin/realms/shop/authentication/required-actions/TERMS_AND_CONDITIONS",
            }));
            Assert.That((bridge["enabled"]!.GetValue<bool>(), bridge["defaultAction"]!.GetValue<bool>(), bridge["priority"]!.GetValue<long>()), Is.EqualTo((true, false, 20L)));
            Assert.That(again.IsEmpty, Is.True, string.Join(", ", again.Changes));
        });
    }

    [Test]
    public async Task Plan_BridgeNotInstalled_FailsNamingTheValueAndTheJarWithoutWriting()
    {
        Simulator.CreateRealm("shop");
        Simulator.ClearRequests();

        var exception = Assert.ThrowsAsync<RealmConfigException>(() => Provisioner.PlanAsync(Config(BridgeMode)))!;

        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Is.EqualTo(
                "realm.json: $.requiredActions[0].providerId: Keycloak has no required-action provider 'idpbridge-terms' (realm 'shop' " +
                "neither has it registered nor lists it as installed): IdpBridge's terms bridge is not installed in this Keycloak: copy " +
                "idpbridge-keycloak-extension.jar (built by scripts/build-extension.sh into keycloak-extension/build/) into Keycloak's " +
                "providers/ folder and restart Keycloak, or run the realm in Admin API mode (declare TERMS_AND_CONDITIONS instead)"));
            Assert.That(Simulator.Requests.Where(request => request.Method != "GET" && request.Path.StartsWith("/admin/", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task Plan_BridgeDeclaredDisabledAndNotRegistered_NothingToDoEvenWithoutTheJar()
    {
        Simulator.CreateRealm("shop");
        var adminApiMode = Config("""
            { "realm": "shop", "requiredActions": [
              { "alias": "idpbridge-terms", "providerId": "idpbridge-terms", "enabled": false, "defaultAction": false },
              { "alias": "TERMS_AND_CONDITIONS", "enabled": true, "defaultAction": true } ] }
            """);

        var plan = await Provisioner.PlanAsync(adminApiMode);

        Assert.That(plan.Changes.Select(change => change.ToString()), Is.EqualTo(new[] { "required-action TERMS_AND_CONDITIONS" }));
    }

    [TestCase("""{ "alias": "TERMS_AND_CONDITIONS", "enabled": true, "defaultAction": false }""",
        "realm.json:5:51: $.requiredActions[1].enabled: TERMS_AND_CONDITIONS must have \"enabled\": false: the realm runs in bridge mode " +
        "(idpbridge-terms enabled at $.requiredActions[0]), so that nobody meets two terms steps; for Admin API mode disable idpbridge-terms instead")]
    [TestCase("""{ "alias": "TERMS_AND_CONDITIONS", "enabled": false }""",
        "realm.json:5:5: $.requiredActions[1].defaultAction: TERMS_AND_CONDITIONS must have \"defaultAction\": false: the realm runs in bridge mode " +
        "(idpbridge-terms enabled at $.requiredActions[0]), so that nobody meets two terms steps; for Admin API mode disable idpbridge-terms instead")]
    [TestCase("""{ "alias": "UPDATE_PASSWORD", "enabled": true }""",
        "realm.json:4:5: $.requiredActions[0]: declare TERMS_AND_CONDITIONS too, with \"enabled\": false and \"defaultAction\": false: the realm runs " +
        "in bridge mode (idpbridge-terms enabled at $.requiredActions[0]), so that nobody meets two terms steps (an undeclared action keeps its live settings)")]
    public void Load_BridgeEnabledWithoutTheBuiltInTermsStepOff_IsRefusedAtTheValue(string builtIn, string expected)
    {
        var json = "{\n  \"realm\": \"shop\",\n  \"requiredActions\": [\n    { \"alias\": \"idpbridge-terms\", \"enabled\": true },\n    " + builtIn + "\n  ]\n}";

        var exception = Assert.Throws<RealmConfigException>(() => RealmConfigLoader.Parse(json, "realm.json", _ => null))!;

        Assert.That(exception.Message, Is.EqualTo(expected));
    }

    [Test]
    public void Load_RepositoryDemoRealmAndItsAdminApiVariant_EachHasOneTermsStep()
    {
        var folder = Path.Combine(IdpBridge.Testing.SharedData.RepositoryRoot, "realm-config");
        var demo = RealmConfigLoader.Load(Path.Combine(folder, "externos"), _ => "x").Config;
        var variant = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "externos", "realm.json")))!.AsObject();
        variant["requiredActions"] = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "modes", "admin-api.requiredActions.json")));
        var adminApi = RealmConfigLoader.Parse(variant.ToJsonString(), "realm.json", _ => "x").Config;

        Assert.Multiple(() =>
        {
            Assert.That(Enabled(demo), Is.EqualTo(new[] { "idpbridge-terms" }), "the demo realm runs in bridge mode");
            Assert.That(Enabled(adminApi), Is.EqualTo(new[] { "TERMS_AND_CONDITIONS" }), "the documented Admin API variant");
        });
    }

    private static string[] Enabled(RealmConfig config) =>
        config.RequiredActions.Where(action => action["enabled"]!.GetValue<bool>()).Select(action => action["alias"]!.GetValue<string>()).ToArray();

    private static List<string> Admin(KeycloakSimulator simulator) =>
        simulator.Requests.Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal)).Select(request => $"{request.Method} {request.Path}").ToList();
}
