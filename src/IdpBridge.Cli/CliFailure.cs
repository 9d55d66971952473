using IdpBridge.Core;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Realms;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli;

/// <summary>Which failures a command reports as one error line (<see cref="CliContext.FailAsync"/>), for every command alike.</summary>
internal static class CliFailure
{
    /// <summary>
    /// True for what the person running the command can act on: a dependency that failed
    /// (<see cref="DependencyFailure"/>: Keycloak, the database), a refused input (a policy document, a realm config,
    /// a realm that does not exist, a rollout that cannot start, a proof refused), a setting or the proof key, or a file that cannot be read or written.
    /// Anything else is a bug and keeps its stack trace.
    /// </summary>
    public static bool IsReportable(Exception exception) =>
        DependencyFailure.Is(exception)
        || exception is PolicyDocumentException or RealmConfigException or RealmNotFoundException or RolloutException
            or OptionsValidationException or IOException or CliInputException or ProofRefusedException or ProofKeyException;
}

/// <summary>An input the command refuses after looking at the store or Keycloak (a realm it does not know): one error line, exit 1.</summary>
internal sealed class CliInputException(string message) : Exception(message);
