using System.Diagnostics;
using System.Text;
using IdpBridge.ProgramStart;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>What one run of <c>idpbridge</c> printed and how it exited.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real <c>idpbridge</c> command (the native binary that <c>scripts/publish-cli.sh</c> builds, as released:
/// <see cref="NativeCli"/>) or the real service (<c>IdpBridge.Service.dll</c>, from its own build output) as its own
/// process, configured only through the environment, as a person or CI runs it (started by
/// <see cref="IdpBridgeProgram"/>, as the try-it tool starts them).
/// </summary>
internal sealed class IdpBridgeProcess
{
    private readonly string executable;
    private readonly string[] leadingArguments;
    private readonly string workingDirectory;

    /// <summary>The command line.</summary>
    public IdpBridgeProcess()
        : this(NativeCli.Path, [], AppContext.BaseDirectory)
    {
    }

    private IdpBridgeProcess(string executable, string[] leadingArguments, string workingDirectory)
    {
        this.executable = executable;
        this.leadingArguments = leadingArguments;
        this.workingDirectory = workingDirectory;
    }

    /// <summary>A script of the repository run with bash from the repository root (<c>scripts/try-it.sh</c>), as a person runs it.</summary>
    public static IdpBridgeProcess Script(string relativePath) =>
        new("bash", [relativePath], IdpBridge.Testing.SharedData.RepositoryRoot);

    /// <summary>The service, from its own build output (the test project's metadata says where).</summary>
    public static IdpBridgeProcess Service() => new(IdpBridgeProgram.DotnetHost(), [BuiltProgram("IdpBridge.Service")], AppContext.BaseDirectory);

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>XDG_DATA_HOME</c> of every command this test run starts, so that a command given no store path uses a store of
    /// the run (the default is under it), never the person's <c>~/.local/share/idpbridge</c>.
    /// </summary>
    private static readonly string DataHome = Directory.CreateTempSubdirectory("idpbridge-e2e-data-").FullName;

    /// <summary>The environment the command gets on top of this process's (IdpBridge settings, secrets the realm file references).</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <c>idpbridge</c> with <paramref name="args"/> to its end.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var running = Start(args);
        return await running.WaitAsync(DefaultTimeout).ConfigureAwait(false);
    }

    /// <summary>Starts <c>idpbridge</c> with <paramref name="args"/> and returns at once (for a test that kills it).</summary>
    public RunningCli Start(params string[] args) => Launch(executable, [.. leadingArguments, .. args]);

    /// <summary>
    /// Starts <c>idpbridge</c> as from a terminal, where Ctrl+C (SIGINT) reaches it: a test run started in the background
    /// (<c>scripts/test.sh &amp;</c>) has SIGINT ignored, every child inherits that, and .NET keeps it ignored, as a
    /// command under <c>nohup</c> should. <c>env --default-signal=INT</c> (coreutils 8.31+) gives it back its default.
    /// </summary>
    public RunningCli StartInterruptible(params string[] args) => Launch("env", ["--default-signal=INT", executable, .. leadingArguments, .. args]);

    private RunningCli Launch(string command, string[] arguments)
    {
        // Nothing of the test host's own IdpBridge settings may leak in: only what the test sets.
        var environment = new[] { KeyValuePair.Create("XDG_DATA_HOME", (string?)DataHome) }.Concat(Environment);
        var info = IdpBridgeProgram.StartInfo(command, arguments, environment, workingDirectory);
        return new RunningCli(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}."));
    }

    private static string BuiltProgram(string project)
    {
        var path = typeof(IdpBridgeProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == project).Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built at {path}: build the solution first.", path);
    }
}

/// <summary>An <c>idpbridge</c> process under way: its output so far, and ways to wait for it or kill it.</summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    public RunningCli(Process process)
    {
        this.process = process;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(error, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>What it printed on stderr so far.</summary>
    public string Error => ErrorText();

    /// <summary>What it printed on stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits for the end (killing it after <paramref name="timeout"/>, which fails the test with what it printed).</summary>
    public async Task<CliRun> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"idpbridge did not finish within {timeout}.\n--- stdout\n{Output}\n--- stderr\n{ErrorText()}");
        }

        // The asynchronous readers finish after the exit: WaitForExit() without a timeout waits for them.
        process.WaitForExit();
        return new CliRun(process.ExitCode, Output, ErrorText());
    }

    /// <summary>Kills the process at once (<c>kill -9</c>): it records nothing more.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private string ErrorText()
    {
        lock (error)
        {
            return error.ToString();
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
