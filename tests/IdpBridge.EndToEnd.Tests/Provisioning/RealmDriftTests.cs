using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>Changes made to a provisioned realm behind IdpBridge's back, through the admin API as another admin would.</summary>
public sealed class RealmDriftTests : ProvisioningFixture
{
    [Test]
    public async Task PlanAndApply_DriftMadeThroughTheAdminApi_ShownFieldByFieldThenRepaired()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        await ApplyAsync(demo);
        var hashBefore = (await ReadAsync(demo, "/identity-provider/instances/google"))["config"]!["idpbridge.clientSecretHash"]!.GetValue<string>();

        await WriteAsync(demo, "", new JsonObject { ["loginTheme"] = "keycloak" });
        var terms = (await ReadAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS")).AsObject();
        terms["enabled"] = false;
        await WriteAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS", terms);
        var google = (await ReadAsync(demo, "/identity-provider/instances/google")).AsObject();
        google["displayName"] = "Goggle";
        google["trustEmail"] = false;
        await WriteAsync(demo, "/identity-provider/instances/google", google);
        var profile = (await ReadAsync(demo, "/users/profile")).AsObject();
        profile["attributes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "phone",
            ["displayName"] = "Phone",
            ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin"), ["edit"] = new JsonArray("admin") },
        });
        await WriteAsync(demo, "/users/profile", profile);

        var plan = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");
        var apply = await IdpbridgeAsync("realm", "apply", demo.Folder, "--auto-approve");
        var after = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");

        var realm = await ReadAsync(demo);
        var repairedTerms = await ReadAsync(demo, "/authentication/required-actions/TERMS_AND_CONDITIONS");
        var repairedGoogle = await ReadAsync(demo, "/identity-provider/instances/google");
        var repairedProfile = await ReadAsync(demo, "/users/profile");
        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
            Assert.That(Lines(plan.Output), Is.SupersetOf(new[]
            {
                "realm:", $"  ~ {demo.Name}", "      loginTheme: \"keycloak\" → \"idpbridge\"",
                "required-action:", "  ~ TERMS_AND_CONDITIONS", "      enabled: false → true",
                "identity-provider:", "  ~ google", "      displayName: \"Goggle\" → \"Google\"", "      trustEmail: false → true",
                "user-profile:",
                "Plan: 0 to create, 4 to change, 0 to delete.",
            }));
            Assert.That(Lines(plan.Output).Count(line => line.StartsWith("      ", StringComparison.Ordinal)), Is.EqualTo(5),
                "five fields differ, no more (sets in the server's order are no change)");
            Assert.That(plan.Output, Does.Contain("      attributes.phone: - {\"name\":\"phone\""));
            Assert.That(plan.Output, Does.Not.Contain("clientSecret"), "the secret did not change: it is not rewritten");

            Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
            Assert.That(after.ExitCode, Is.EqualTo(0), after.ToString());
            Assert.That(realm["loginTheme"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
            Assert.That((repairedTerms["enabled"]!.GetValue<bool>(), repairedTerms["defaultAction"]!.GetValue<bool>(), repairedTerms["priority"]!.GetValue<int>()),
                Is.EqualTo((true, true, 20)));
            Assert.That((repairedGoogle["displayName"]!.GetValue<string>(), repairedGoogle["trustEmail"]!.GetValue<bool>()), Is.EqualTo(("Google", true)));
            Assert.That(repairedGoogle["config"]!["idpbridge.clientSecretHash"]!.GetValue<string>(), Is.EqualTo(hashBefore));
            Assert.That(repairedGoogle["config"]!["clientId"]!.GetValue<string>(), Is.EqualTo(DemoRealm.Secrets["GOOGLE_CLIENT_ID"]));
            Assert.That(repairedProfile["attributes"]!.AsArray().Select(attribute => attribute!["name"]!.GetValue<string>()),
                Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
        });
    }

    [Test]
    public async Task Apply_RealmAttributesTheFileDoesNotDeclare_AreKept()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        await ApplyAsync(demo);
        var attributes = (await ReadAsync(demo))["attributes"]!.DeepClone().AsObject();
        attributes["team.owner"] = "identity";
        await WriteAsync(demo, "", new JsonObject { ["attributes"] = attributes.DeepClone() });
        var config = demo.ReadConfig();
        config["attributes"] = new JsonObject { ["idpbridge.managedBy"] = "e2e" };
        demo.WriteConfig(config);

        var plan = await IdpbridgeAsync("realm", "plan", demo.Folder);
        await ApplyAsync(demo);
        var clean = await IdpbridgeAsync("realm", "plan", demo.Folder, "--detailed-exitcode");

        var live = (await ReadAsync(demo))["attributes"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(Lines(plan.Output), Does.Contain("      attributes.idpbridge.managedBy: + \"e2e\""));
            Assert.That(plan.Output, Does.Not.Contain("team.owner"));
            Assert.That(live["idpbridge.managedBy"]!.GetValue<string>(), Is.EqualTo("e2e"));
            foreach (var (key, value) in attributes)
            {
                Assert.That(live[key]?.GetValue<string>(), Is.EqualTo(value!.GetValue<string>()), $"the undeclared attribute {key} was kept");
            }

            Assert.That(clean.ExitCode, Is.EqualTo(0), clean.ToString());
        });
    }

    private static List<string> Lines(string output) => output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
}
