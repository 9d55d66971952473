using IdpBridge.Cli.Tests.Realms;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests;

/// <summary>
/// A setting whose value does not convert (a word for a number, an unknown storage provider): one error line naming the
/// setting and the value (and, for a choice, the words it takes), exit 1, no stack trace, nothing sent to Keycloak.
/// </summary>
public sealed class SettingValueTests
{
    [TestCase("IdpBridge:Keycloak:MaxInFlight", "abc", "Failed to convert configuration value 'abc' at 'IdpBridge:Keycloak:MaxInFlight' to type 'System.Int32'.")]
    [TestCase("IdpBridge:Storage:Provider", "mongodb",
        "Failed to convert configuration value 'mongodb' at 'IdpBridge:Storage:Provider' to type 'IdpBridge.Core.Storage.StorageProvider'. " +
        "It must be one of: sqlite, postgresql.")]
    public async Task Command_SettingThatDoesNotConvert_OneLineNamingItAndNoStackTrace(string setting, string value, string expected)
    {
        using var harness = new CliHarness();
        harness.UseTemporaryStore();
        harness.Settings[setting] = value;

        var run = await harness.RunAsync("doctor", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error.Trim(), Is.EqualTo($"error: {expected}"), run.ToString());
            Assert.That(run.Error + run.Output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
            Assert.That(harness.Simulator.Requests.Where(request => request.Path.StartsWith("/admin/", StringComparison.Ordinal)), Is.Empty);
        });
    }
}
