using System.Diagnostics;

namespace IdpBridge.TryIt;

/// <summary>
/// Runs the real <c>idpbridge</c> command (its own build output) as its own process with the stack's settings, to its
/// end: what a person would type. Only the settings given here reach it: <c>IdpBridge__*</c> variables of the caller's
/// shell are removed, so a leftover setting cannot point the demo elsewhere.
/// </summary>
internal sealed class IdpBridgeCommand(string assembly, IReadOnlyDictionary<string, string> settings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>idpbridge <paramref name="arguments"/></c>; a non-zero exit throws with what it printed (never a secret: the CLI prints none).</summary>
    public async Task RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(key => key.StartsWith("IdpBridge__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new TryItException($"Could not start {assembly}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TryItException($"idpbridge {string.Join(' ', arguments)} did not finish within {Timeout.TotalMinutes} minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new TryItException(
                $"idpbridge {string.Join(' ', arguments)} failed (exit {process.ExitCode}):\n" +
                $"{(await error.ConfigureAwait(false)).Trim()}\n{(await output.ConfigureAwait(false)).Trim()}");
        }
    }

    /// <summary>The <c>dotnet</c> host this tool runs on (it is started as <c>dotnet idpbridge-try-it.dll</c>).</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";
}
