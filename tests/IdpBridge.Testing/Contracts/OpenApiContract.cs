namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Keycloak's own OpenAPI document of the Admin REST API, used to check that every request a test sends and
/// every response the simulator gives is documented. (Stub: the contract helper fills it in.)
/// </summary>
public sealed class OpenApiContract
{
    /// <summary>The 26.6.0 document: the strict check.</summary>
    public static OpenApiContract Keycloak26_6 => throw new NotImplementedException();

    /// <summary>The 26.0.0 document: the oldest server we support.</summary>
    public static OpenApiContract Keycloak26_0 => throw new NotImplementedException();

    /// <summary>
    /// Checks one request: <paramref name="path"/> is the raw (still escaped) path starting at <c>/admin/realms</c>,
    /// after any <c>/auth</c> prefix was removed. Returns one readable sentence per violation; empty when documented.
    /// </summary>
    public IReadOnlyList<string> CheckRequest(
        string method, string path, IEnumerable<KeyValuePair<string, string>> query, string? contentType, string? body)
        => throw new NotImplementedException();

    /// <summary>Checks that a response body uses only properties documented for that operation's response.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string path, int status, string? contentType, string? body)
        => throw new NotImplementedException();
}
