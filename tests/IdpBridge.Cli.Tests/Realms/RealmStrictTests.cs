using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary><c>--strict</c> for CI: a misspelt key fails plan and apply before any request, instead of a warning and exit 0.</summary>
public sealed class RealmStrictTests
{
    [TestCase("plan")]
    [TestCase("apply")]
    public async Task Strict_MisspeltKey_RefusedBeforeAnyRequest(string verb)
    {
        using var harness = new CliHarness();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(CliHarness.DemoRealm, "realm.json")))!.AsObject();
        config["registrationAlowed"] = true;
        using var file = new TempFile(config.ToJsonString());

        var lenient = await harness.RunAsync("realm", "plan", file.Path);
        harness.Simulator.ClearRequests();
        var strict = await harness.RunAsync(verb == "apply" ? ["realm", verb, file.Path, "--strict", "--auto-approve"] : ["realm", verb, file.Path, "--strict"]);

        Assert.Multiple(() =>
        {
            Assert.That(lenient.Error, Does.Contain("warning: ").And.Contain("registrationAlowed"), lenient.ToString());
            Assert.That(strict.ExitCode, Is.EqualTo(1), strict.ToString());
            Assert.That(strict.Error, Does.Contain("error: ").And.Contain("registrationAlowed").And.Not.Contain("warning:"));
            Assert.That(strict.Error, Does.Contain("The file was refused (--strict)"));
            Assert.That(harness.Simulator.Requests, Is.Empty, "refused before any request");
        });
    }
}
