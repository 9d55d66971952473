using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace IdpBridge.Cli;

/// <summary>The <c>idpbridge</c> command line: its commands, help text and exit codes.</summary>
internal static class IdpBridgeCommand
{
    /// <summary>The exit codes every command uses, so CI can tell the cases apart.</summary>
    internal static class ExitCodes
    {
        public const int Success = 0;
        public const int Error = 1;

        /// <summary><c>plan --detailed-exitcode</c>: the realm differs from the file.</summary>
        public const int ChangesPending = 2;

        /// <summary>A rollout stopped before its end (Ctrl+C, Keycloak failing, cancelled, run elsewhere): <c>rollout resume</c> continues it.</summary>
        public const int Incomplete = 3;

        /// <summary>The command line itself is wrong (sysexits' EX_USAGE, apart from 2 = changes pending).</summary>
        public const int Usage = 64;
    }

    private const string Description = """
        IdpBridge keeps a Keycloak realm's privacy promise from outside Keycloak, through its Admin REST API:
        it provisions the realm from a file so that only first name, last name and email are collected, keeps
        versioned privacy policies, asks every user to accept a materially changed policy at their next login
        (Keycloak's TERMS_AND_CONDITIONS required action), and keeps the record of who accepted which version.

        Connection to Keycloak (environment variables):
          IdpBridge__Keycloak__Url            Keycloak's base URL (add /auth for Keycloak before 17)
          IdpBridge__Keycloak__Realm          realm that issues the admin token (default: master)
          IdpBridge__Keycloak__ClientId       confidential client with a service account
          IdpBridge__Keycloak__ClientSecret   its secret (never printed)

        Connection settings may also be given as --keycloak-url, --keycloak-realm and --client-id; the secret is read
        only from the environment (or appsettings.json), never from the command line.

        Exit codes: 0 success, 1 error, 2 changes pending (plan --detailed-exitcode), 3 rollout not finished
        (resume continues it), 64 usage error.
        """;

    /// <summary>IdpBridge's own version (System.CommandLine would print the entry assembly's, wrong when hosted).</summary>
    public static string Version { get; } =
        typeof(IdpBridgeCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(IdpBridgeCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(Description);
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
        root.Options.Add(CliVerbose.Option);
        root.Subcommands.Add(Realms.RealmCommands.Build(context));
        root.Subcommands.Add(Policies.PolicyCommands.Build(context));
        root.Subcommands.Add(Rollouts.RolloutCommands.Build(context));
        root.Subcommands.Add(Ledger.LedgerCommands.Build(context));
        root.Subcommands.Add(Doctor.DoctorCommand.Build(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/> in the process's console and environment.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, CliContext.FromConsole(output, error));

    /// <summary>Parses and runs <paramref name="args"/> with the given streams and settings; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var output = context.Output;
        var error = context.Error;
        var parseResult = Build(context).Parse(args);
        // Ctrl+C or SIGTERM cancels the command's token; a rollout then records the requests in flight before it exits.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        if (parseResult.Errors.Count > 0)
        {
            foreach (var line in CliUsageErrors.Describe(parseResult))
            {
                await error.WriteLineAsync(line).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'idpbridge --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return ExitCodes.Success;
        }
    }
}
