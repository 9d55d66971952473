using System.Reflection;
using IdpBridge.Cli;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests;

public sealed class IdpBridgeCommandTests
{
    [Test]
    public async Task Run_Help_ExplainsTheToolItsConnectionSettingsAndExitCodes()
    {
        var (code, output, error) = await RunAsync("--help");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(error, Is.Empty);
            Assert.That(output, Does.Contain("TERMS_AND_CONDITIONS"));
            Assert.That(output, Does.Contain("IdpBridge__Keycloak__Url"));
            Assert.That(output, Does.Contain("IdpBridge__Keycloak__ClientSecret"));
            Assert.That(output, Does.Contain("Exit codes: 0 success, 1 error, 2 changes pending (plan --detailed-exitcode), 3 rollout not finished"));
            Assert.That(output, Does.Contain("64 usage error."));
            Assert.That(output, Does.Contain("realm").And.Contain("policy").And.Contain("rollout"));
        });
    }

    [Test]
    public async Task Run_Version_PrintsTheAssemblyVersion()
    {
        var expected = typeof(IdpBridgeCommand).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var (code, output, _) = await RunAsync("--version");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(output.Trim(), Is.EqualTo(expected));
            Assert.That(expected, Does.StartWith("0.1.0"));
        });
    }

    [Test]
    public async Task Run_UnknownCommand_ExitsWithUsageCodeAndPointsToHelp()
    {
        var (code, output, error) = await RunAsync("frobnicate");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(64));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("frobnicate"));
            Assert.That(error, Does.Contain("idpbridge --help"));
        });
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await IdpBridgeCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
