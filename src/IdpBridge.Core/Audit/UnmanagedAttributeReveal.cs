using IdpBridge.Keycloak;
using IdpBridge.Keycloak.UserProfile;

namespace IdpBridge.Core.Audit;

/// <summary>
/// The opt-in of <c>realm audit --reveal-unmanaged</c>: while <c>unmanagedAttributePolicy</c> is unset Keycloak leaves
/// every attribute stored outside the user profile out of the Admin API, so the scan cannot see them. This sets
/// <c>ADMIN_VIEW</c> (administrators see them read-only; users see nothing more, nobody can add any) for the scan, and
/// afterwards puts back the exact profile document read before, also when the scan fails or is cancelled (Ctrl+C).
/// A <c>kill -9</c> during the scan leaves <c>ADMIN_VIEW</c> set: the next audit reports it.
/// </summary>
internal static class UnmanagedAttributeReveal
{
    /// <summary>The policy set for the scan.</summary>
    public const string ScanPolicy = "ADMIN_VIEW";

    /// <summary>
    /// Runs <paramref name="scan"/> with <see cref="ScanPolicy"/> set when the realm has no policy (else as it is), and
    /// restores the profile read before it. Returns the scan's result and whether the policy was set.
    /// </summary>
    public static async Task<(T Result, bool Revealed)> RunAsync<T>(
        KeycloakAdminClient keycloak, string realm, Func<CancellationToken, Task<T>> scan, CancellationToken cancellationToken)
    {
        var before = await keycloak.GetUserProfileAsync(realm, cancellationToken).ConfigureAwait(false);
        if (before.UnmanagedAttributePolicy is not null)
        {
            return (await scan(cancellationToken).ConfigureAwait(false), false);
        }

        await keycloak.UpdateUserProfileAsync(realm, before with { UnmanagedAttributePolicy = ScanPolicy }, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await scan(cancellationToken).ConfigureAwait(false), true);
        }
        finally
        {
            // Not the command's token: after Ctrl+C the restore must still happen.
            await RestoreAsync(keycloak, realm, before).ConfigureAwait(false);
        }
    }

    private static async Task RestoreAsync(KeycloakAdminClient keycloak, string realm, UserProfileConfig before)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await keycloak.UpdateUserProfileAsync(realm, before, timeout.Token).ConfigureAwait(false);
    }
}
