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

    private static readonly Lazy<Task<string>> Built = new(PublishAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The binary's full path (built on first use).</summary>
    public static string Path => Built.Value.GetAwaiter().GetResult();

    private static async Task<string> PublishAsync()
    {
        using var publish = IdpBridgeProcess.Script("scripts/publish-cli.sh").Start();
        var run = await publish.WaitAsync(BuildTimeout).ConfigureAwait(false);
        // The script prints the binary's path on its last line.
        var path = run.Output.Trim().Split('\n')[^1];
        return run.ExitCode == 0 && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"scripts/publish-cli.sh failed (exit {run.ExitCode}): the native idpbridge is not built.\n{run.Error}");
    }
}
