using IdpBridge.Core;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Realms;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli;

/// <summary>Which failures a command reports as one error line (<see cref="CliContext.FailAsync"/>), for every command alike.</summary>
internal static class CliFailure
{
    /// <summary>
    /// True for what the person running the command can act on: a dependency that failed
    /// (<see cref="DependencyFailure"/>: Keycloak, the database), a refused input (a policy document, a realm config,
    /// a realm that does not exist, a rollout that cannot start, a proof refused), a setting (one that breaks a rule, or
    /// whose value does not convert) or the proof key, or a file that cannot be read or written.
    /// Anything else is a bug and keeps its stack trace.
    /// </summary>
    public static bool IsReportable(Exception exception) =>
        DependencyFailure.Is(exception)
        || exception is PolicyDocumentException or RealmConfigException or RealmNotFoundException or RolloutException
            or OptionsValidationException or IOException or CliInputException or ProofRefusedException or ProofKeyException
        || SettingFailure.IsUnconvertibleValue(exception);

    /// <summary>
    /// The error line for <paramref name="exception"/>: its message, except for a refused rollout (said from its code
    /// and facts), a refused proof (its message and the command to run next) and a Keycloak that cannot be reached at
    /// all, which names the address, the call, the cause and what to check.
    /// </summary>
    public static string Describe(Exception exception)
    {
        if (exception is RolloutException refused)
        {
            return Rollouts.RolloutRefusalText.Describe(refused);
        }

        if (SettingFailure.IsUnconvertibleValue(exception))
        {
            return SettingFailure.Describe(exception);
        }

        if (exception is ProofRefusedException proofRefused)
        {
            return Ledger.ProofRefusalText.Describe(proofRefused);
        }

        if (exception is not KeycloakException { IsUnreachable: true, InnerException: { } cause } unreachable)
        {
            return exception.Message;
        }

        // A TLS failure's own message only says "see inner exception".
        var why = cause.InnerException is { } deeper && cause is System.Net.Http.HttpRequestException { HttpRequestError: System.Net.Http.HttpRequestError.SecureConnectionError }
            ? $"{cause.Message.TrimEnd('.')}: {deeper.Message}"
            : cause.Message;
        return $"cannot reach Keycloak at {unreachable.Address ?? "?"} ({unreachable.Method} {unreachable.Path}): {why}. " +
            "Check that Keycloak runs there and the URL (--keycloak-url or IdpBridge__Keycloak__Url).";
    }
}

/// <summary>An input the command refuses after looking at the store or Keycloak (a realm it does not know): one error line, exit 1.</summary>
internal sealed class CliInputException(string message) : Exception(message);
