using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>A request as the handlers see it: the path after the prefix, split into decoded segments.</summary>
internal sealed class SimRequest
{
    public required string Method { get; init; }

    /// <summary>Raw (escaped) path after the prefix, e.g. <c>/admin/realms/a%2Fb/users</c>.</summary>
    public required string RawPath { get; init; }

    public required IReadOnlyList<string> Segments { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Query { get; init; }

    public string? ContentType { get; init; }

    public string? Body { get; init; }

    public string? Authorization { get; init; }

    public string? Q(string name)
    {
        foreach (var pair in Query)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    public IEnumerable<string> QAll(string name) => Query.Where(p => p.Key == name).Select(p => p.Value);

    public int? QInt(string name) =>
        Q(name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public bool? QBool(string name) => Q(name) is { } text && bool.TryParse(text, out var value) ? value : null;

    public JsonNode? JsonBody()
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Body);
        }
        catch (JsonException)
        {
            throw new SimHttpException(SimResponse.Error(400, "errorMessage", "Cannot parse the JSON"));
        }
    }

    public JsonObject JsonObjectBody() => JsonBody() as JsonObject
        ?? throw new SimHttpException(SimResponse.Error(400, "errorMessage", "Cannot parse the JSON"));
}

/// <summary>A response before it becomes a WireMock response message.</summary>
internal sealed record SimResponse(int Status, string? Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    public const string JsonType = "application/json";

    public static SimResponse NoContent() => new(204, null, null);

    public static SimResponse Json(JsonNode? node, int status = 200) => new(status, SimJson.Write(node), JsonType);

    public static SimResponse Created(string location) => new(201, null, null, [new("Location", location)]);

    /// <summary><c>{"error": "..."}</c> or <c>{"errorMessage": "..."}</c> with the given status.</summary>
    public static SimResponse Error(int status, string field, string message) =>
        Json(new JsonObject { [field] = message }, status);

    public static SimResponse NotFound() => Error(404, "error", "HTTP 404 Not Found");

    public static SimResponse Forbidden() => Error(403, "error", "HTTP 403 Forbidden");

    public static SimResponse Conflict(string message) => Error(409, "errorMessage", message);

    public static SimResponse BadRequest(string message) => Error(400, "errorMessage", message);
}

/// <summary>Thrown by handlers to answer at once with a given response.</summary>
internal sealed class SimHttpException(SimResponse response) : Exception(response.Body)
{
    public SimResponse Response { get; } = response;
}

internal static class SimJson
{
    /// <summary>Writes compact JSON, omitting null properties at any depth, as Keycloak's Jackson setup does.</summary>
    public static string Write(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteNode(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    WriteNode(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    public static JsonObject Clone(JsonObject source) => (JsonObject)source.DeepClone();

    public static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Bool(JsonObject obj, string name)
    {
        if (obj[name] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        // Exports and realm attributes sometimes carry booleans as strings.
        return value.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) ? parsed : null;
    }

    public static long? Long(JsonObject obj, string name)
    {
        if (obj[name] is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small;
        }

        if (value.TryGetValue<double>(out var real))
        {
            return (long)real;
        }

        return value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    public static List<string>? StringList(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").ToList()
            : null;

    public static JsonArray ToArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>Keycloak's <c>Map&lt;String, List&lt;String&gt;&gt;</c>: a single string is accepted as a one-element list.</summary>
    public static Dictionary<string, List<string>>? MultiMap(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            result[key] = value switch
            {
                JsonArray array => StringList(array) ?? [],
                JsonValue single when single.TryGetValue<string>(out var text) => [text],
                null => [],
                _ => [value.ToJsonString()],
            };
        }

        return result;
    }
}
