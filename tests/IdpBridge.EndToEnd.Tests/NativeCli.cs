using System.Diagnostics;
using IdpBridge.Testing;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>
/// The <c>idpbridge</c> binary these tests run: built once per test run by <c>scripts/publish-cli.sh</c> (Native AOT, as
/// the README tells a person to build it), so every flow here runs the command as released, from the code under test
/// (the publish is incremental: a few seconds when nothing changed). A build that fails fails every test that runs the
/// command, with the compiler's messages.
/// </summary>
internal static class NativeCli
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    private static readonly Lazy<string> Built = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The binary's full path (built on first use).</summary>
    public static string Path => Built.Value;

    private static string Publish()
    {
        var info = new ProcessStartInfo("bash", ["scripts/publish-cli.sh"])
        {
            WorkingDirectory = SharedData.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start scripts/publish-cli.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/publish-cli.sh did not finish in {BuildTimeout.TotalMinutes} minutes.");
        }

        var path = output.Result.Trim().Split('\n')[^1];
        return process.ExitCode == 0 && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"scripts/publish-cli.sh failed (exit {process.ExitCode}): the native idpbridge is not built.\n{error.Result}");
    }
}
