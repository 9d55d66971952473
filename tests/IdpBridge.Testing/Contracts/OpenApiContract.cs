using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdpBridge.Testing.Contracts.Internal;

namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Keycloak's own OpenAPI document of the Admin REST API, used to check that every request a test sends and
/// every response the simulator gives is documented. A document is read and compiled once (path templates into a
/// segment tree, schemas into a shared graph); the checks then only walk the request, so they are cheap enough to
/// run on every simulated request. Instances are immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Status codes are never judged: docs/keycloak-facts.md wins over the generated document there (e.g. creating an IdP
/// mapper answers 201 although the document says 200).
/// </remarks>
public sealed partial class OpenApiContract
{
    private static readonly Lazy<OpenApiContract> Lazy26_6 = new(
        () => Load(SharedData.KeycloakFile("openapi", "keycloak-26.6.0-admin-openapi.json")),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<OpenApiContract> Lazy26_0 = new(
        () => Load(SharedData.KeycloakFile("openapi", "keycloak-26.0.0-admin-openapi.json")),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly PathMatcher<CompiledPath> matcher = new();
    private readonly List<OpenApiOperation> operations = [];

    private OpenApiContract(string name, JsonElement document)
    {
        Name = name;
        var compiler = new SchemaCompiler(document.TryGetProperty("components", out var components) ? components : default);
        foreach (var pathItem in document.GetProperty("paths").EnumerateObject())
        {
            var compiled = new CompiledPath(pathItem.Name);
            var shared = pathItem.Value.TryGetProperty("parameters", out var sharedParameters) ? sharedParameters : default;
            foreach (var member in pathItem.Value.EnumerateObject())
            {
                if (!HttpMethods.Contains(member.Name))
                {
                    continue;
                }

                var operation = CompileOperation(compiler, member.Name.ToUpperInvariant(), pathItem.Name, shared, member.Value);
                compiled.Operations[operation.Info.Method] = operation;
                operations.Add(operation.Info);
            }

            matcher.Add(pathItem.Name, compiled);
        }
    }

    /// <summary>The 26.6.0 document: the strict check.</summary>
    public static OpenApiContract Keycloak26_6 => Lazy26_6.Value;

    /// <summary>The 26.0.0 document: the oldest server we support.</summary>
    public static OpenApiContract Keycloak26_0 => Lazy26_0.Value;

    /// <summary>How messages name this document, e.g. <c>Keycloak 26.6.0 OpenAPI</c> (taken from the file name).</summary>
    public string Name { get; }

    /// <summary>Every documented operation, in document order.</summary>
    public IReadOnlyList<OpenApiOperation> Operations => operations;

    private static readonly HashSet<string> HttpMethods = new(StringComparer.Ordinal)
    {
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    };

    /// <summary>Reads and compiles one OpenAPI 3.0 document.</summary>
    public static OpenApiContract Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var version = VersionInFileName().Match(Path.GetFileName(path));
        var name = version.Success ? $"Keycloak {version.Groups[1].Value} OpenAPI" : Path.GetFileName(path);
        return new OpenApiContract(name, document.RootElement);
    }

    /// <summary>
    /// Same as <see cref="Keycloak26_0"/>.<see cref="CheckAvailability"/>: sentences for what a request uses that
    /// the oldest supported server (26.0.0) does not document, so a caller can tell "works on 26.6, not on 26.0".
    /// </summary>
    public static IReadOnlyList<string> CheckAvailableIn26_0(string method, string path, IEnumerable<KeyValuePair<string, string>> query)
        => Keycloak26_0.CheckAvailability(method, path, query);

    /// <summary>True when the path matches a documented template that documents <paramref name="method"/>.</summary>
    public bool IsDocumented(string method, string path) => FindOperation(method, path) is not null;

    /// <summary>The documented operation a request would reach, or null.</summary>
    public OpenApiOperation? FindOperation(string method, string path)
    {
        var item = MatchPath(path);
        return item is not null && item.Operations.TryGetValue(method.ToUpperInvariant(), out var operation) ? operation.Info : null;
    }

    /// <summary>
    /// Checks one request: <paramref name="path"/> is the raw (still escaped) path starting at <c>/admin/realms</c>,
    /// after any <c>/auth</c> prefix was removed. Returns one readable sentence per violation; empty when documented.
    /// </summary>
    /// <param name="method">HTTP method, any case.</param>
    /// <param name="path">Raw path; a query string after <c>?</c> is ignored (pass it in <paramref name="query"/>).</param>
    /// <param name="query">Decoded query parameters, a repeated name once per value.</param>
    /// <param name="contentType">The request's Content-Type header, parameters (charset) allowed.</param>
    /// <param name="body">The request body as text; null or empty when none was sent.</param>
    public IReadOnlyList<string> CheckRequest(
        string method, string path, IEnumerable<KeyValuePair<string, string>> query, string? contentType, string? body)
    {
        var upper = method.ToUpperInvariant();
        var item = MatchPath(path);
        if (item is null)
        {
            return [$"{upper} {StripQuery(path)}: no documented path matches ({Name})"];
        }

        if (!item.Operations.TryGetValue(upper, out var operation))
        {
            return [$"{upper} {item.Template}: method {upper} is not documented for this path, only {string.Join(", ", item.Operations.Keys)} ({Name})"];
        }

        var problems = new List<string>();
        CheckQuery(operation, query, problems, typesToo: true);
        CheckRequestBody(operation, contentType, body, problems);
        return Sentences(operation, problems);
    }

    /// <summary>
    /// Checks that a response body uses only properties documented for that operation's response, with the
    /// documented kinds. The schema of the exact status is used, else the 2xx one (the document's status codes are
    /// not trusted). Error responses (4xx/5xx), empty bodies and non-JSON bodies are not checked.
    /// </summary>
    public IReadOnlyList<string> CheckResponse(string method, string path, int status, string? contentType, string? body)
    {
        if (status >= 400 || string.IsNullOrWhiteSpace(body) || (contentType is not null && !IsJson(MediaType(contentType))))
        {
            return [];
        }

        var upper = method.ToUpperInvariant();
        var item = MatchPath(path);
        if (item is null || !item.Operations.TryGetValue(upper, out var operation))
        {
            return [$"{upper} {StripQuery(path)}: response to an undocumented operation ({Name})"];
        }

        var schema = ResponseSchema(operation, status);
        if (schema is null && contentType is null && DocumentsNonJsonSuccess(operation))
        {
            // No Content-Type given and the operation answers text or a file: nothing to read as JSON.
            return [];
        }

        if (schema is null)
        {
            return [$"{operation.Info.Id}: response {status.ToString(CultureInfo.InvariantCulture)} has a JSON body but the operation documents no JSON response body ({Name})"];
        }

        var problems = new List<string>();
        ValidateJson(body, schema, "response", problems);
        return Sentences(operation, problems);
    }

    /// <summary>
    /// Sentences for what this document lacks among what a request uses: the path, the method, query parameter
    /// names. Kinds and bodies are not judged here; <see cref="CheckRequest"/> does that against the newest document.
    /// </summary>
    public IReadOnlyList<string> CheckAvailability(string method, string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var upper = method.ToUpperInvariant();
        var item = MatchPath(path);
        if (item is null)
        {
            return [$"{upper} {StripQuery(path)}: the path is not documented in {Name}, so the oldest supported server may not have it"];
        }

        if (!item.Operations.TryGetValue(upper, out var operation))
        {
            return [$"{upper} {item.Template}: method {upper} is not documented in {Name}, so the oldest supported server may not have it"];
        }

        var problems = new List<string>();
        CheckQuery(operation, query, problems, typesToo: false);
        var sentences = new List<string>(problems.Count);
        foreach (var problem in problems)
        {
            sentences.Add($"{operation.Info.Id}: {problem} in {Name}, so the oldest supported server ignores or rejects it");
        }

        return sentences;
    }

    private CompiledPath? MatchPath(string rawPath)
    {
        var segments = PathMatcher<CompiledPath>.Split(StripQuery(rawPath));
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Contains('%', StringComparison.Ordinal))
            {
                segments[i] = Uri.UnescapeDataString(segments[i]);
            }
        }

        return matcher.Match(segments);
    }

    private static string StripQuery(string path)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? path : path[..question];
    }

    private IReadOnlyList<string> Sentences(CompiledOperation operation, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return [];
        }

        var sentences = new string[problems.Count];
        for (var i = 0; i < problems.Count; i++)
        {
            sentences[i] = $"{operation.Info.Id}: {problems[i]} ({Name})";
        }

        return sentences;
    }

    private static void CheckQuery(CompiledOperation operation, IEnumerable<KeyValuePair<string, string>> query, List<string> problems, bool typesToo)
    {
        HashSet<string>? seen = null;
        foreach (var (name, value) in query)
        {
            if (!operation.QueryParameters.TryGetValue(name, out var schema))
            {
                var known = operation.QueryParameters.Count == 0 ? "none" : string.Join(", ", operation.QueryParameters.Keys);
                problems.Add($"query parameter '{name}' is not documented (documented: {known})");
                continue;
            }

            if (!typesToo)
            {
                continue;
            }

            seen ??= new HashSet<string>(StringComparer.Ordinal);
            var isArray = (schema.Kinds & JsonKinds.Array) != 0;
            if (!seen.Add(name) && !isArray)
            {
                problems.Add($"query parameter '{name}' is repeated but is not documented as an array (the server reads only one value)");
            }

            var valueSchema = isArray ? schema.Items ?? SchemaNode.Any : schema;
            var problem = QueryValueProblem(value, valueSchema);
            if (problem is not null)
            {
                problems.Add($"query parameter '{name}' has value '{value}', {problem}");
            }
        }
    }

    private static string? QueryValueProblem(string value, SchemaNode schema)
    {
        if (schema.Enum is not null && !schema.Enum.Contains(value))
        {
            return $"not one of {string.Join(", ", schema.Enum)}";
        }

        var kinds = schema.Kinds;
        if ((kinds & JsonKinds.Boolean) != 0 && value is not ("true" or "false"))
        {
            return "but a boolean must be 'true' or 'false' in lower case";
        }

        if ((kinds & JsonKinds.Integer) != 0 && (kinds & JsonKinds.Number) == 0)
        {
            var parses = schema.Format == "int32"
                ? int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            if (!parses)
            {
                return $"but the document expects an {schema.Format ?? "integer"}";
            }
        }
        else if ((kinds & JsonKinds.Number) != 0
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return "but the document expects a number";
        }

        return null;
    }

    private static void CheckRequestBody(CompiledOperation operation, string? contentType, string? body, List<string> problems)
    {
        if (string.IsNullOrEmpty(body))
        {
            return;
        }

        if (operation.RequestBody is null)
        {
            problems.Add("a request body was sent but the operation documents none");
            return;
        }

        var documented = string.Join(", ", operation.RequestBody.Keys);
        if (string.IsNullOrWhiteSpace(contentType))
        {
            problems.Add($"a request body was sent without a Content-Type (documented: {documented})");
            return;
        }

        var mediaType = MediaType(contentType);
        if (!operation.RequestBody.TryGetValue(mediaType, out var schema) && !operation.RequestBody.TryGetValue("*/*", out schema))
        {
            problems.Add($"request Content-Type '{mediaType}' is not documented (documented: {documented})");
            return;
        }

        // Only JSON bodies are read. A JSON body documented as a bare string (client-description-converter) is a raw
        // document Keycloak parses itself, so it has no shape to check here.
        if (!IsJson(mediaType) || (schema.Kinds == JsonKinds.String && schema.Properties is null))
        {
            return;
        }

        ValidateJson(body, schema, "request", problems);
    }

    private static void ValidateJson(string body, SchemaNode schema, string role, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            problems.Add($"{role} body is not valid JSON ({ex.Message})");
            return;
        }

        using (document)
        {
            JsonShapeValidator.Validate(document.RootElement, schema, role, problems);
        }
    }

    private static SchemaNode? ResponseSchema(CompiledOperation operation, int status)
    {
        if (operation.Responses.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var exact) && JsonSchemaOf(exact) is { } schema)
        {
            return schema;
        }

        // The document's codes are unreliable (201 documented as 200 and so on): any documented 2xx body stands in.
        foreach (var (code, content) in operation.Responses)
        {
            if (code.StartsWith('2') && JsonSchemaOf(content) is { } success)
            {
                return success;
            }
        }

        return null;
    }

    private static bool DocumentsNonJsonSuccess(CompiledOperation operation)
    {
        foreach (var (code, content) in operation.Responses)
        {
            if (code.StartsWith('2') && content.Keys.Any(mediaType => !IsJson(mediaType)))
            {
                return true;
            }
        }

        return false;
    }

    private static SchemaNode? JsonSchemaOf(Dictionary<string, SchemaNode> content)
    {
        foreach (var (mediaType, schema) in content)
        {
            if (IsJson(mediaType) || mediaType == "*/*")
            {
                return schema;
            }
        }

        return null;
    }

    private static string MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return bare.ToLowerInvariant();
    }

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static CompiledOperation CompileOperation(
        SchemaCompiler compiler, string method, string template, JsonElement sharedParameters, JsonElement operation)
    {
        var summary = operation.TryGetProperty("summary", out var s) ? s.GetString()
            : operation.TryGetProperty("description", out var d) ? d.GetString() : null;
        var tags = new List<string>();
        if (operation.TryGetProperty("tags", out var tagArray))
        {
            foreach (var tag in tagArray.EnumerateArray())
            {
                tags.Add(tag.GetString() ?? string.Empty);
            }
        }

        var compiled = new CompiledOperation(new OpenApiOperation(method, template, summary ?? string.Empty, tags));

        // Operation-level parameters override path-level ones of the same name, as OpenAPI specifies.
        AddQueryParameters(compiler, compiled, sharedParameters);
        if (operation.TryGetProperty("parameters", out var own))
        {
            AddQueryParameters(compiler, compiled, own);
        }

        if (operation.TryGetProperty("requestBody", out var requestBody))
        {
            compiled.RequestBody = CompileContent(compiler, requestBody);
        }

        if (operation.TryGetProperty("responses", out var responses))
        {
            foreach (var response in responses.EnumerateObject())
            {
                compiled.Responses[response.Name] = CompileContent(compiler, response.Value);
            }
        }

        return compiled;
    }

    private static void AddQueryParameters(SchemaCompiler compiler, CompiledOperation operation, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var parameter in parameters.EnumerateArray())
        {
            if (parameter.GetProperty("in").GetString() == "query")
            {
                var schema = parameter.TryGetProperty("schema", out var s) ? compiler.Compile(s) : SchemaNode.Any;
                operation.QueryParameters[parameter.GetProperty("name").GetString()!] = schema;
            }
        }
    }

    private static Dictionary<string, SchemaNode> CompileContent(SchemaCompiler compiler, JsonElement holder)
    {
        var content = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        if (holder.TryGetProperty("content", out var media) && media.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in media.EnumerateObject())
            {
                content[entry.Name.ToLowerInvariant()] =
                    entry.Value.TryGetProperty("schema", out var schema) ? compiler.Compile(schema) : SchemaNode.Any;
            }
        }

        return content;
    }

    [GeneratedRegex(@"keycloak-(\d+(?:\.\d+)+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VersionInFileName();
}
