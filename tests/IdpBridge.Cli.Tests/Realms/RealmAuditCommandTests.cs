using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Realms;

/// <summary><c>realm audit</c>'s command line: usage errors, a realm that does not exist, the read-only default (against the simulator).</summary>
public sealed class RealmAuditCommandTests
{
    [TestCase("--page-size", "0", "--page-size must be between 1 and 1000, not 0.")]
    [TestCase("--output", "yaml", "Argument 'yaml' not recognized")]
    public async Task Audit_BadOption_UsageError64AndNoRequest(string option, string value, string message)
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("realm", "audit", "externos", option, value);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.Contain(message));
            Assert.That(harness.Simulator.Requests.Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task Audit_AbsentRealm_OneErrorLineExit1_JsonErrorToo()
    {
        using var harness = new CliHarness();

        var run = await harness.RunAsync("realm", "audit", "nowhere", "--detailed-exitcode", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.Trim(), Is.EqualTo("error: Realm 'nowhere' does not exist in Keycloak."));
            Assert.That(run.Output, Does.Contain("\"error\""));
        });
    }

    [Test]
    public async Task Audit_WithoutReveal_WritesNothing()
    {
        using var harness = new CliHarness();
        harness.Simulator.CreateRealm("plain");

        var run = await harness.RunAsync("realm", "audit", "plain");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Output, Does.Contain("Realm 'plain' audited against the declared fields username, email, firstName, lastName"));
            Assert.That(run.Error, Does.Contain("scanning users: 0/0"));
            Assert.That(harness.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task Audit_Json_CodeFactsAndTheWordsTheTextPrints()
    {
        using var harness = new CliHarness();
        harness.Simulator.CreateRealm("plain");
        harness.Simulator.Realm("plain").SeedUsers(3);

        var json = await harness.RunAsync("realm", "audit", "plain", "--output", "json");
        var text = await harness.RunAsync("realm", "audit", "plain");

        var hidden = JsonNode.Parse(json.Output)!["results"]!.AsArray().Single(result => (string?)result!["code"] == "stored_attributes_hidden")!;
        Assert.Multiple(() =>
        {
            Assert.That(json.ExitCode, Is.EqualTo(0), json.ToString());
            Assert.That(hidden["facts"]!.ToJsonString(), Is.EqualTo("""{"scanned":3,"prefix":"idpbridge.terms."}"""));
            Assert.That((string?)hidden["what"], Does.StartWith("Unset: Keycloak hides from the Admin API").And.Contain("the scan of 3 users"));
            var nl = Environment.NewLine;
            Assert.That(text.Output, Does.Contain(
                $"  info    userProfile.unmanagedAttributePolicy  [stored_attributes_hidden]{nl}          {hidden["what"]}{nl}          fix: {hidden["fix"]}{nl}"));
        });
    }
}
