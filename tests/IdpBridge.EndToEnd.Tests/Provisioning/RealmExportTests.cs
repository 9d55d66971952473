using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary><c>idpbridge realm export</c> of a live realm on the real Keycloak, to adopt it.</summary>
public sealed class RealmExportTests : ProvisioningFixture
{
    [Test]
    public async Task Export_ThenPlanOfTheExport_IsCleanAndHoldsNoSecret()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        await ApplyAsync(demo);
        var file = Path.Combine(Path.GetDirectoryName(demo.Folder)!, "export.json");

        var export = await IdpbridgeAsync("realm", "export", demo.Name, "-f", file);
        var text = await File.ReadAllTextAsync(file);
        var plan = await IdpbridgeAsync("realm", "plan", file, "--detailed-exitcode");

        var exported = JsonNode.Parse(text)!;
        var google = exported["identityProviders"]!.AsArray().Single(provider => provider!["alias"]!.GetValue<string>() == "google")!;
        Assert.Multiple(() =>
        {
            Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
            Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
            Assert.That(plan.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
            // Each provider is read whole: the fields a list item may leave out are exported.
            Assert.That((google["trustEmail"]!.GetValue<bool>(), google["config"]!["syncMode"]!.GetValue<string>()), Is.EqualTo((true, "IMPORT")));
            Assert.That(google["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("**********"));
            Assert.That(google["config"]!.AsObject().ContainsKey("idpbridge.clientSecretHash"), Is.False);
            Assert.That(exported["clients"]!.AsArray().Single(client => client!["clientId"]!.GetValue<string>() == "idpbridge")!["secret"]!.GetValue<string>(),
                Is.EqualTo("**********"));
            Assert.That(Strings(exported["supportedLocales"]), Is.EqualTo(new[] { "en", "es" }), "sets are exported sorted");
        });
        AssertNoSecretIn("the exported file", text);
    }

    [Test]
    public async Task ExportForceOverTheConfig_AfterAPublication_KeepsReferencesLeavesOutTermsTextsPlansClean()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var store = Path.Combine(Path.GetDirectoryName(demo.Folder)!, "store", "idpbridge.db");
        var cli = Server.Cli();
        cli.Environment["IdpBridge__Storage__SqlitePath"] = store;
        var publish = await cli.RunAsync("policy", "publish", Path.Combine(DemoRealm.Source, "policies", "privacy", "v1", "es.md"),
            Path.Combine(DemoRealm.Source, "policies", "privacy", "v1", "en.md"), "--realm", demo.Name);
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.ToString());
        var before = await File.ReadAllTextAsync(demo.RealmFile);

        var refused = await IdpbridgeAsync("realm", "export", demo.Name, "-f", demo.RealmFile);
        var unchanged = await File.ReadAllTextAsync(demo.RealmFile);
        var export = await IdpbridgeAsync("realm", "export", demo.Name, "-f", demo.RealmFile, "--force");
        var plan = await IdpbridgeAsync("realm", "plan", demo.RealmFile, "--detailed-exitcode");

        var written = demo.ReadConfig();
        var google = written["identityProviders"]!.AsArray().Single(provider => provider!["alias"]!.GetValue<string>() == "google")!;
        var termsText = await Admin.GetAsync($"realms/{Uri.EscapeDataString(demo.Name)}/localization/es");
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(unchanged, Is.EqualTo(before), "refused: the file is left as it was");
            Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
            Assert.That(google["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("${env:GOOGLE_CLIENT_SECRET}"));
            Assert.That(JsonNode.DeepEquals(written["x-idpbridge"], JsonNode.Parse(before)!["x-idpbridge"]), Is.True);
            Assert.That(written.ToJsonString(), Does.Not.Contain("termsText"), "the terms step is IdpBridge's own");
            Assert.That(termsText!.ToJsonString(), Does.Contain("termsText"), "publication wrote it in Keycloak");
            Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        });
    }
}
