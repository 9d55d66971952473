using System.Diagnostics;
using IdpBridge.ProgramStart;

namespace IdpBridge.TryIt;

/// <summary>
/// Runs the real <c>idpbridge</c> command (its own build output) as its own process with the stack's settings, to its
/// end: what a person would type. Only the settings given here reach it (<see cref="IdpBridgeProgram"/> removes the
/// caller's <c>IdpBridge__*</c> variables), so a leftover setting of the shell cannot point the demo elsewhere.
/// </summary>
internal sealed class IdpBridgeCommand(string assembly, IReadOnlyDictionary<string, string> settings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>idpbridge <paramref name="arguments"/></c>; a non-zero exit throws with what it printed (never a secret: the CLI prints none).</summary>
    public async Task RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var environment = settings.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value));
        var info = IdpBridgeProgram.StartInfo(IdpBridgeProgram.DotnetHost(), [assembly, .. arguments], environment);
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
}
