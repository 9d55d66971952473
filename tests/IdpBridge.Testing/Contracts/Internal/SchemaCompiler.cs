using System.Text.Json;

namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>
/// Turns the schemas of one OpenAPI document into <see cref="SchemaNode"/> graphs, once, at load time, so no check
/// ever walks the document's JSON again.
/// </summary>
internal sealed class SchemaCompiler(JsonElement components)
{
    private const string ComponentPrefix = "#/components/schemas/";

    private readonly Dictionary<string, SchemaNode> byReference = new(StringComparer.Ordinal);

    public SchemaNode Compile(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return SchemaNode.Any;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Resolve(reference.GetString() ?? string.Empty);
        }

        var node = new SchemaNode();
        Fill(node, schema);
        return node;
    }

    private SchemaNode Resolve(string reference)
    {
        if (byReference.TryGetValue(reference, out var known))
        {
            return known;
        }

        if (!reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unsupported $ref '{reference}': only {ComponentPrefix}* is expected.");
        }

        var name = reference[ComponentPrefix.Length..];
        if (!components.TryGetProperty("schemas", out var schemas) || !schemas.TryGetProperty(name, out var target))
        {
            throw new InvalidOperationException($"Dangling $ref '{reference}'.");
        }

        // Registered before filling, so a representation that refers to itself resolves to this same node.
        var node = new SchemaNode { Name = name };
        byReference[reference] = node;
        Fill(node, target);
        return node;
    }

    private void Fill(SchemaNode node, JsonElement schema)
    {
        var constrained = false;
        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "type":
                    node.Kinds = ParseKinds(keyword.Value);
                    constrained = true;
                    break;
                case "format":
                    node.Format = keyword.Value.GetString();
                    break;
                case "properties":
                    node.Properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
                    foreach (var property in keyword.Value.EnumerateObject())
                    {
                        node.Properties[property.Name] = Compile(property.Value);
                    }

                    constrained = true;
                    break;
                case "additionalProperties":
                    if (keyword.Value.ValueKind == JsonValueKind.False)
                    {
                        node.AllowsAnyAdditional = false;
                        node.Properties ??= new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
                    }
                    else if (keyword.Value.ValueKind == JsonValueKind.True)
                    {
                        node.AllowsAnyAdditional = true;
                    }
                    else
                    {
                        node.AdditionalProperties = Compile(keyword.Value);
                    }

                    constrained = true;
                    break;
                case "items":
                    node.Items = Compile(keyword.Value);
                    constrained = true;
                    break;
                case "enum":
                    node.Enum = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var value in keyword.Value.EnumerateArray())
                    {
                        node.Enum.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                    }

                    constrained = true;
                    break;
                case "allOf":
                    node.AllOf = CompileAll(keyword.Value);
                    constrained = true;
                    break;
                case "oneOf":
                case "anyOf":
                    node.AnyOf = [.. node.AnyOf ?? [], .. CompileAll(keyword.Value)];
                    constrained = true;
                    break;
                default:
                    break;
            }
        }

        node.IsAny = !constrained;
    }

    private List<SchemaNode> CompileAll(JsonElement array)
    {
        var members = new List<SchemaNode>();
        foreach (var member in array.EnumerateArray())
        {
            members.Add(Compile(member));
        }

        return members;
    }

    private static JsonKinds ParseKinds(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.Array)
        {
            var all = JsonKinds.None;
            foreach (var one in type.EnumerateArray())
            {
                all |= ParseKind(one.GetString());
            }

            return all;
        }

        return ParseKind(type.GetString());
    }

    private static JsonKinds ParseKind(string? type) => type switch
    {
        "string" => JsonKinds.String,
        "integer" => JsonKinds.Integer,
        "number" => JsonKinds.Number | JsonKinds.Integer,
        "boolean" => JsonKinds.Boolean,
        "array" => JsonKinds.Array,
        "object" => JsonKinds.Object,
        _ => JsonKinds.None,
    };
}
