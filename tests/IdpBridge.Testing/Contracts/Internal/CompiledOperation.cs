namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>Everything the checks need about one operation, compiled at load time.</summary>
internal sealed class CompiledOperation(OpenApiOperation info)
{
    public OpenApiOperation Info { get; } = info;

    public Dictionary<string, SchemaNode> QueryParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Media type (lower case) to schema; null when the operation takes no body.</summary>
    public Dictionary<string, SchemaNode>? RequestBody { get; set; }

    /// <summary>Status code (as written, e.g. <c>200</c>) to media type to schema; a response without content has an empty map.</summary>
    public Dictionary<string, Dictionary<string, SchemaNode>> Responses { get; } = new(StringComparer.Ordinal);
}

/// <summary>The operations documented for one path template, by upper-case method.</summary>
internal sealed class CompiledPath(string template)
{
    public string Template { get; } = template;

    public Dictionary<string, CompiledOperation> Operations { get; } = new(StringComparer.Ordinal);
}
