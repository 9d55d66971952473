using IdpBridge.KeycloakLauncher;

namespace IdpBridge.TryIt;

/// <summary><c>try-it.sh stop</c>: asks the run recorded in a state folder to stop, and waits until it has.</summary>
internal static class RunStopper
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Stops the run of <paramref name="stateFolder"/>; returns what was done, for the person.</summary>
    public static async Task<string> StopAsync(string stateFolder, CancellationToken cancellationToken)
    {
        var state = RunState.Read(stateFolder);
        if (state is null)
        {
            return $"try-it is not running (no {RunState.PathIn(stateFolder)}).";
        }

        if (!state.IsRunning)
        {
            state.KillLeftovers();
            File.Delete(RunState.PathIn(stateFolder));
            File.Delete(CliEnvironmentFile.PathIn(stateFolder));
            return $"try-it (pid {state.Pid}) was not running any more; what it had left running is stopped.";
        }

        // SIGTERM is Ctrl+C's way in: the run stops the service, Keycloak and the mail catcher itself, in order.
        ProcessGroup.Terminate(state.Pid);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Patience);
        while (state.IsRunning)
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TryItException($"try-it (pid {state.Pid}) did not stop within {Patience.TotalSeconds} s.");
            }

            await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
        }

        return $"Stopped try-it (pid {state.Pid}) and everything it had started.";
    }
}
