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
        public const int Usage = 2;
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

        Exit codes: 0 success, 1 error, 2 usage error.
        """;

    /// <summary>IdpBridge's own version (System.CommandLine would print the entry assembly's, wrong when hosted).</summary>
    public static string Version { get; } =
        typeof(IdpBridgeCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(IdpBridgeCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(Description);
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parseResult = Build().Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message).ConfigureAwait(false);
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
