using System.Diagnostics;
using IdpBridge.ProgramStart;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Launcher;

/// <summary>
/// The one way the try-it tool and these tests start IdpBridge's programs: a real child process (<c>env</c>) shows
/// which variables reach it.
/// </summary>
[NonParallelizable]
public sealed class IdpBridgeProgramTests
{
    private const string Leftover = "IdpBridge__ProgramStartTest__Leftover";

    [Test]
    public async Task StartInfo_CallerHoldsIdpBridgeSettings_OnlyTheGivenOnesReachTheProgramAndNullRemoves()
    {
        Environment.SetEnvironmentVariable(Leftover, "from-the-shell");
        Environment.SetEnvironmentVariable("IDPBRIDGE_TEST_OTHER", "kept");
        try
        {
            var info = IdpBridgeProgram.StartInfo("env", [], new Dictionary<string, string?>
            {
                ["IdpBridge__Keycloak__Url"] = "http://127.0.0.1:9",
                ["IDPBRIDGE_TEST_OTHER"] = null,
            });
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var printed = (await process.StandardOutput.ReadToEndAsync()).Split('\n');
            await process.WaitForExitAsync();

            Assert.Multiple(() =>
            {
                Assert.That(printed, Does.Contain("IdpBridge__Keycloak__Url=http://127.0.0.1:9"));
                Assert.That(printed.Where(line => line.StartsWith(Leftover, StringComparison.OrdinalIgnoreCase)), Is.Empty, "a leftover setting reached it");
                Assert.That(printed.Where(line => line.StartsWith("IDPBRIDGE_TEST_OTHER=", StringComparison.Ordinal)), Is.Empty, "null did not remove it");
                Assert.That(printed.Any(line => line.StartsWith("PATH=", StringComparison.Ordinal)), Is.True, "the rest of the environment is kept");
                Assert.That((info.RedirectStandardInput, info.RedirectStandardOutput, info.RedirectStandardError, info.UseShellExecute), Is.EqualTo((true, true, true, false)));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(Leftover, null);
            Environment.SetEnvironmentVariable("IDPBRIDGE_TEST_OTHER", null);
        }
    }

    [Test]
    public void CleanedEnvironment_CallerHoldsIdpBridgeSettings_MapsThemToNullBeforeTheGivenOnes()
    {
        Environment.SetEnvironmentVariable(Leftover, "from-the-shell");
        try
        {
            var variables = IdpBridgeProgram.CleanedEnvironment(new Dictionary<string, string> { ["IdpBridge__Storage__SqlitePath"] = "/tmp/x.db" });

            Assert.Multiple(() =>
            {
                Assert.That(variables[Leftover], Is.Null);
                Assert.That(variables["IdpBridge__Storage__SqlitePath"], Is.EqualTo("/tmp/x.db"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(Leftover, null);
        }
    }
}
