using System.Net;
using System.Text.Json;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

/// <summary>
/// Keycloak refused or failed a call. Carries the status, Keycloak's own explanation (<c>errorMessage</c>,
/// or <c>error</c>/<c>error_description</c> from the token endpoint) and the response body.
/// The request is described by method and path only: no token, secret or body of the request is kept. A 403 on an
/// admin path also names the <c>realm-management</c> role the call needs (<see cref="MissingRole"/>), since Keycloak
/// itself says only <c>HTTP 403 Forbidden</c>; so does the cut-down realm Keycloak answers with 200 to a client without
/// <c>view-realm</c>.
/// </summary>
public sealed class KeycloakException : Exception
{
    /// <summary>Creates the exception; <paramref name="statusCode"/> is null when no response arrived at all.</summary>
    public KeycloakException(
        string method, string path, HttpStatusCode? statusCode, string? keycloakError, string? body, Exception? inner = null)
        : this(method, path, statusCode, keycloakError, body, inner, statusCode == HttpStatusCode.Forbidden ? AdminRoleHint.For(method, path) : null)
    {
    }

    private KeycloakException(
        string method, string path, HttpStatusCode? statusCode, string? keycloakError, string? body, Exception? inner, (string Roles, string Described)? needed)
        : base(Describe(method, path, statusCode, keycloakError, inner, needed), inner)
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        KeycloakError = keycloakError;
        Body = body;
        FieldErrors = body is null ? [] : ReadFieldErrors(body);
        MissingRole = needed?.Roles;
    }

    /// <summary>
    /// Keycloak answered <c>GET /admin/realms/{realm}</c> with 200 and the cut-down realm it gives a client without
    /// <c>view-realm</c> (no id, no settings, no attributes): nothing may be planned, exported or audited from it.
    /// </summary>
    internal static KeycloakException CutDownRealm(string path) =>
        new("GET", path, HttpStatusCode.OK, "only the cut-down realm a client without view-realm may read (no id, no settings)", null, null,
            AdminRoleHint.For("GET", path));

    /// <summary>
    /// For a 403 on an admin path, the role(s) the call needs (e.g. <c>view-events</c>, a <c>realm-management</c> role
    /// of the path's realm), which the client IdpBridge signs in with lacks; else null.
    /// </summary>
    public string? MissingRole { get; }

    /// <summary>The HTTP method of the failed call.</summary>
    public string Method { get; }

    /// <summary>The path of the failed call (no query string: it may carry user data).</summary>
    public string Path { get; }

    /// <summary>The response status, or null when Keycloak could not be reached or did not answer in time.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Keycloak's explanation: <c>errorMessage</c>, else <c>error_description</c>, else <c>error</c>.</summary>
    public string? KeycloakError { get; }

    /// <summary>The response body as Keycloak sent it (truncated to 4 KiB).</summary>
    public string? Body { get; }

    /// <summary>
    /// What the user profile validation refused, in Keycloak's order: one error comes as <c>{"field", "errorMessage",
    /// "params"}</c>, several as <c>{"errors": [...]}</c>; empty when the body holds no field error.
    /// </summary>
    public IReadOnlyList<KeycloakFieldError> FieldErrors { get; }

    /// <summary>
    /// True when no HTTP exchange happened at all: the host name is unknown, the connection was refused, or the TLS
    /// handshake failed. The URL is wrong or Keycloak is not running there; <see cref="Address"/> says where.
    /// </summary>
    public bool IsUnreachable => StatusCode is null && Http.KeycloakReachability.IsUnreachable(InnerException);

    /// <summary>The scheme, host and port the call went to, when known (e.g. <c>https://sso.example.org:8443</c>).</summary>
    public string? Address { get; init; }

    /// <summary>True for 404: the realm, user or resource does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>True for 409: a resource with the same unique name exists.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    internal static async Task<KeycloakException> FromResponseAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = response.RequestMessage;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > 4096)
        {
            body = body[..4096];
        }

        return new KeycloakException(
            request?.Method.Method ?? "?",
            request?.RequestUri?.AbsolutePath ?? "?",
            response.StatusCode,
            ReadKeycloakError(body),
            body);
    }

    /// <summary>Keycloak's error fields, in the order the server fills them; for several field errors, the first one's message.</summary>
    internal static string? ReadKeycloakError(string body)
    {
        using var document = Parse(body);
        if (document is null)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["errorMessage", "error_description", "error"])
        {
            if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return ReadFieldErrors(document.RootElement) is [var first, ..] ? first.ErrorMessage : null;
    }

    /// <summary>The field errors of a validation failure's body (see <see cref="FieldErrors"/>).</summary>
    internal static IReadOnlyList<KeycloakFieldError> ReadFieldErrors(string body)
    {
        using var document = Parse(body);
        return document is null ? [] : ReadFieldErrors(document.RootElement);
    }

    private static List<KeycloakFieldError> ReadFieldErrors(JsonElement root)
    {
        var errors = new List<KeycloakFieldError>();
        if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && FieldError(item) is { } error)
                {
                    errors.Add(error);
                }
            }
        }
        else if (root.TryGetProperty("field", out _) && FieldError(root) is { } single)
        {
            errors.Add(single);
        }

        return errors;
    }

    private static KeycloakFieldError? FieldError(JsonElement item)
    {
        if (!item.TryGetProperty("errorMessage", out var message) || message.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var field = item.TryGetProperty("field", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        var parameters = item.TryGetProperty("params", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()).ToList()
            : [];
        return new KeycloakFieldError(field, message.GetString()!, parameters);
    }

    private static JsonDocument? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON after all (a proxy's page): the body is kept as it is.
            return null;
        }
    }

    private static string Describe(
        string method, string path, HttpStatusCode? statusCode, string? keycloakError, Exception? inner, (string Roles, string Described)? needed)
    {
        var what = statusCode is { } status
            ? $"Keycloak answered {(int)status} {status} to {method} {path}"
            : $"Keycloak did not answer {method} {path}";
        var why = keycloakError ?? inner?.Message;
        var described = why is null ? what + "." : $"{what}: {why}";
        return needed is { } role
            ? $"{described.TrimEnd('.')}. The client IdpBridge signs in with (IdpBridge:Keycloak:ClientId) lacks {role.Described}, " +
              "which this call needs (the README's Security section lists the roles of each feature)."
            : described;
    }
}
