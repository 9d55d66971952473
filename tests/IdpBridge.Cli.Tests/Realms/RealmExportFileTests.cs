using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary><c>realm export -f</c> over a config file: never replaced without <c>--force</c>, and then without losing what only the file holds.</summary>
public sealed class RealmExportFileTests
{
    private static string DemoFile => Path.Combine(CliHarness.DemoRealm, "realm.json");

    [Test]
    public async Task Export_OverExistingFileWithoutForce_RefusesAndLeavesItAsItWas()
    {
        using var harness = new CliHarness();
        await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        using var file = new TempFile(File.ReadAllText(DemoFile));

        var export = await harness.RunAsync("realm", "export", "externos", "-f", file.Path);

        Assert.Multiple(() =>
        {
            Assert.That(export.ExitCode, Is.EqualTo(1), export.ToString());
            Assert.That(export.Error.Trim(), Is.EqualTo(
                $"error: {file.Path} exists: realm export replaces a file only with --force (which keeps its ${{env:...}} references and x-idpbridge settings)."));
            Assert.That(File.ReadAllText(file.Path), Is.EqualTo(File.ReadAllText(DemoFile)));
        });
    }

    [Test]
    public async Task Export_OverExistingFileWithForce_KeepsReferencesAndOwnSettingsLeavesOutTermsTexts()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        var publish = await harness.RunAsync("policy", "publish",
            Path.Combine(CliHarness.DemoRealm, "policies", "privacy", "v1", "es.md"),
            Path.Combine(CliHarness.DemoRealm, "policies", "privacy", "v1", "en.md"),
            "--realm", "externos");
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        Assert.That(harness.Simulator.Realm("externos").GetLocalization("es"), Does.ContainKey("termsText"), "publication wrote the terms step");
        using var file = new TempFile(File.ReadAllText(DemoFile));

        var export = await harness.RunAsync("realm", "export", "externos", "-f", file.Path, "--force");
        harness.Simulator.ClearRequests();
        var plan = await harness.RunAsync("realm", "plan", file.Path, "--detailed-exitcode");

        var written = JsonNode.Parse(File.ReadAllText(file.Path))!;
        var original = JsonNode.Parse(File.ReadAllText(DemoFile))!;
        var google = written["identityProviders"]!.AsArray().Single(idp => (string?)idp!["alias"] == "google")!;
        var client = written["clients"]!.AsArray().Single(item => (string?)item!["clientId"] == "idpbridge")!;
        Assert.Multiple(() =>
        {
            Assert.That(export.ExitCode, Is.Zero, export.ToString());
            Assert.That((string?)google["config"]!["clientSecret"], Is.EqualTo("${env:GOOGLE_CLIENT_SECRET}"));
            Assert.That((string?)google["config"]!["clientId"], Is.EqualTo("${env:GOOGLE_CLIENT_ID:-replace-me}"));
            Assert.That((string?)client["secret"], Is.EqualTo("${env:IDPBRIDGE_CLIENT_SECRET}"));
            Assert.That(JsonNode.DeepEquals(written["x-idpbridge"], original["x-idpbridge"]), Is.True, written["x-idpbridge"]?.ToJsonString());
            Assert.That(written.ToJsonString(), Does.Not.Contain("termsText").And.Not.Contain("termsTitle"), "the terms step is IdpBridge's own");
            Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
            Assert.That(harness.Writes, Is.Empty);
        });
    }
}
