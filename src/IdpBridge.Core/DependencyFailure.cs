using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;

namespace IdpBridge.Core;

/// <summary>
/// The one place that decides whether a failure is a dependency's: Keycloak (<see cref="KeycloakException"/>, HTTP
/// and its resilience pipeline already folded into it) or the database (<see cref="StorageException"/>, every
/// provider exception folded into it at the stores). Such a failure is worth a line and a later retry; anything else
/// (a bug, cancellation) is not caught as one.
/// </summary>
public static class DependencyFailure
{
    /// <summary>
    /// True when <paramref name="exception"/> says Keycloak or the database failed or refused. False for
    /// cancellation (<see cref="OperationCanceledException"/>: the caller stopped, nothing failed) and for the rest.
    /// </summary>
    public static bool Is(Exception exception) =>
        exception is KeycloakException or StorageException;
}
