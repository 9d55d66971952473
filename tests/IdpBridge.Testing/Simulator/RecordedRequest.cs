namespace IdpBridge.Testing.Simulator;

/// <summary>One request the simulator received, with the status it answered (0 when the connection was dropped).</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="RawPath">The path as sent, still percent-escaped, prefix included, without the query.</param>
/// <param name="Path">The decoded path, prefix included.</param>
/// <param name="Query">Query parameters in order, decoded.</param>
/// <param name="ContentType">The request's Content-Type header, if any.</param>
/// <param name="Body">The request body as text, if any.</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="StatusCode">The status answered; 0 when the connection was dropped without a response.</param>
/// <param name="At">When it arrived (the simulator's TimeProvider).</param>
public sealed record RecordedRequest(
    string Method,
    string RawPath,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? ContentType,
    string? Body,
    string? Authorization,
    int StatusCode,
    DateTimeOffset At);
