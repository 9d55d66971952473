using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace IdpBridge.KeycloakLauncher;

/// <summary>
/// A process started as the leader of a session and process group of its own (<c>setsid</c>), so that it and every
/// child it starts (<c>kc.sh</c> runs the server's <c>java</c>, and the build step runs one before it) are signalled
/// together, and a Ctrl+C or the death of the process that started it does not reach it by accident.
/// </summary>
internal sealed partial class ProcessGroup : IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly Process process;

    private ProcessGroup(Process process)
    {
        this.process = process;
        Id = process.Id;
    }

    /// <summary>The leader's process id, which is also the group's id.</summary>
    public int Id { get; }

    /// <summary>True once the leader exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="executable"/> in a new session, its stdout and stderr appended to <paramref name="logFile"/>.</summary>
    public static ProcessGroup Start(
        string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string logFile)
    {
        // setsid execs its command without forking when the caller is not a group leader (a child of .NET never is):
        // the id .NET gets is the group's. sh only sets up the redirection, then execs kc.sh, which execs java.
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "sh", "-c", "exec \"$0\" \"$@\" >>\"$IDPBRIDGE_LOG\" 2>&1", executable }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["IDPBRIDGE_LOG"] = logFile;
        var process = Process.Start(info) ?? throw new KeycloakLaunchException($"Could not start {executable}.");
        process.StandardInput.Close();
        return new ProcessGroup(process);
    }

    /// <summary>
    /// Asks the whole group to stop (SIGTERM), waits up to <paramref name="grace"/> for the leader, then kills whatever
    /// of the group is left (SIGKILL).
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Signal(Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // It did not stop in time: killed below.
        }

        await KillAsync().ConfigureAwait(false);
    }

    /// <summary>Kills every process of the group at once (SIGKILL, as <c>kill -9</c>) and waits until the leader is gone.</summary>
    public async Task KillAsync()
    {
        Signal(Id, SigKill);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // Children that outlived the leader (none expected) go the same way.
        for (var attempt = 0; attempt < 50 && GroupExists(Id); attempt++)
        {
            Signal(Id, SigKill);
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the group <paramref name="groupId"/> left behind by a process that is gone (a crashed test run).</summary>
    public static void KillAbandoned(int groupId) => Signal(groupId, SigKill);

    /// <summary>Asks the one process <paramref name="processId"/> to stop (SIGTERM), as <c>kill</c> does.</summary>
    public static void Terminate(int processId) => _ = kill(processId, SigTerm);

    /// <summary>True while a process with this id runs.</summary>
    public static bool IsAlive(int processId) => kill(processId, 0) == 0 || Marshal.GetLastPInvokeError() == 1; // EPERM: alive, not ours

    /// <summary>
    /// Starts a detached shell that, once <paramref name="ownerId"/> is gone, kills the group whose id
    /// <paramref name="pidFile"/> holds and deletes <paramref name="folder"/>: a test host killed by a hang timeout runs
    /// no exit handler. It ends by itself when the folder is deleted first (a clean stop).
    /// </summary>
    public static void StartWatchdog(int ownerId, string pidFile, string folder)
    {
        const string script =
            "exec >/dev/null 2>&1 </dev/null\n" +
            "while kill -0 \"$1\" && [ -d \"$3\" ]; do sleep 1; done\n" +
            "[ -d \"$3\" ] || exit 0\n" +
            "if [ -f \"$2\" ]; then kill -9 \"-$(cat \"$2\")\"; fi\n" +
            "rm -rf \"$3\"\n";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in new[] { "sh", "-c", script, "idpbridge-keycloak-watchdog", ownerId.ToString(CultureInfo.InvariantCulture), pidFile, folder })
        {
            info.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(info);
    }

    public void Dispose() => process.Dispose();

    private static bool GroupExists(int groupId) => kill(-groupId, 0) == 0;

    private static void Signal(int groupId, int signal) => _ = kill(-groupId, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
