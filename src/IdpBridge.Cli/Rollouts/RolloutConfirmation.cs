using System.Globalization;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>
/// The question <c>rollout start</c> asks before a new rollout marks every user of a realm: how many users and which
/// version, answered y/N at a terminal. <c>--yes</c> skips it; without a terminal (CI, a pipe) and without
/// <c>--yes</c> the start is a usage error (64) that says to pass <c>--yes</c>. Nothing is asked where nothing is
/// marked: a realm that uses the bridge (no user is written) and a version whose rollout exists (the start continues it).
/// </summary>
internal static class RolloutConfirmation
{
    /// <summary>Null to go on; otherwise the exit code to end with (64 without a terminal, 1 when the answer was no).</summary>
    public static async Task<int?> AskAsync(CliContext context, RolloutStartPreview preview, CancellationToken cancellationToken)
    {
        if (!preview.StartsMarkingUsers)
        {
            return null;
        }

        var users = preview.UsersTotal?.ToString("N0", CultureInfo.InvariantCulture);
        var what = $"rollout start marks the {users} users of realm '{preview.Realm}' (Keycloak's count, service accounts excluded) " +
            $"with TERMS_AND_CONDITIONS for {preview.Policy} version {preview.VersionNumber} ({preview.Kind.Name()}): each one who has not " +
            "accepted since the start is asked at their next login";
        if (!context.IsInteractive)
        {
            await context.Error.WriteLineAsync(
                $"error: {what}, and no one is at the terminal to confirm: run again with --yes (as CI and scripts must). Nothing was started.")
                .ConfigureAwait(false);
            return IdpBridgeCommand.ExitCodes.Usage;
        }

        await context.Error.WriteAsync($"{char.ToUpperInvariant(what[0])}{what[1..]}.\nStart it? [y/N] ").ConfigureAwait(false);
        var answer = (await context.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim().ToLowerInvariant();
        if (answer is "y" or "yes")
        {
            return null;
        }

        await context.Error.WriteLineAsync("Not started; no user was written.").ConfigureAwait(false);
        return IdpBridgeCommand.ExitCodes.Error;
    }
}
