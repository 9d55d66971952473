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
}
