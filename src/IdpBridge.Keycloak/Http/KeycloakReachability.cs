using System.Net.Http;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Whether Keycloak has answered this process yet. Until it has, a refused connection, an unknown host or a failed TLS
/// handshake is a wrong URL or a server that is not running, not a blip: the resilience pipeline does not retry it, so
/// the caller hears of it at once instead of after 12 to 19 s of backed-off retries. Once Keycloak has answered
/// anything, the same failure is a restart in the middle of a run, and it is retried like a 503 or a timeout.
/// </summary>
internal sealed class KeycloakReachability
{
    private volatile bool answered;

    /// <summary>True once any response (any status) arrived from Keycloak.</summary>
    public bool HasAnswered => answered;

    /// <summary>Records that a response arrived.</summary>
    public void MarkAnswered() => answered = true;

    /// <summary>A failure that says the address itself is wrong or nothing listens there (no HTTP exchange at all).</summary>
    public static bool IsUnreachable(Exception? exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError,
        };
}
