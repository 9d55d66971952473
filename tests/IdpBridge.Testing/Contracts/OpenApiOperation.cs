namespace IdpBridge.Testing.Contracts;

/// <summary>
/// One documented operation, for messages and listings. Keycloak's documents carry no <c>operationId</c>, so
/// <see cref="Id"/> is the method and the path template, which is unique per document.
/// </summary>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="PathTemplate">The documented template, e.g. <c>/admin/realms/{realm}/users/{user-id}</c>.</param>
/// <param name="Summary">The document's summary, else its description, else empty.</param>
/// <param name="Tags">The document's tags (e.g. <c>Users</c>).</param>
public sealed record OpenApiOperation(string Method, string PathTemplate, string Summary, IReadOnlyList<string> Tags)
{
    /// <summary><c>METHOD /template</c>.</summary>
    public string Id => $"{Method} {PathTemplate}";

    /// <inheritdoc />
    public override string ToString() => Summary.Length == 0 ? Id : $"{Id} ({Summary})";
}
