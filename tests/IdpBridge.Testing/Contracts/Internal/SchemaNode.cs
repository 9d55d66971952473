namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>The JSON kinds a schema admits; <see cref="None"/> means the schema says nothing about the kind.</summary>
[Flags]
internal enum JsonKinds
{
    None = 0,
    String = 1,
    Integer = 2,
    Number = 4,
    Boolean = 8,
    Array = 16,
    Object = 32,
}

/// <summary>
/// One compiled OpenAPI schema. Nodes reached through the same <c>$ref</c> are shared, so a recursive
/// representation (groups holding sub-groups) is a cycle in this graph, not an infinite tree.
/// </summary>
internal sealed class SchemaNode
{
    public static readonly SchemaNode Any = new() { IsAny = true };

    /// <summary>The component name when the node was reached through <c>$ref</c>, for messages.</summary>
    public string? Name { get; set; }

    public JsonKinds Kinds { get; set; }

    public string? Format { get; set; }

    public Dictionary<string, SchemaNode>? Properties { get; set; }

    /// <summary>The schema of the values of a map (<c>additionalProperties</c> given as a schema).</summary>
    public SchemaNode? AdditionalProperties { get; set; }

    /// <summary>True when keys beyond <see cref="Properties"/> are allowed without a value schema.</summary>
    public bool AllowsAnyAdditional { get; set; }

    public SchemaNode? Items { get; set; }

    public HashSet<string>? Enum { get; set; }

    /// <summary>Members of <c>allOf</c>: a value must satisfy each; a key is known if any member knows it.</summary>
    public List<SchemaNode>? AllOf { get; set; }

    /// <summary>Members of <c>oneOf</c>/<c>anyOf</c>: a value must satisfy at least one.</summary>
    public List<SchemaNode>? AnyOf { get; set; }

    /// <summary>True for <c>{}</c> and for schemas that constrain nothing we check.</summary>
    public bool IsAny { get; set; }

    /// <summary>The name to print for the object that holds an unknown property.</summary>
    public string DisplayName
    {
        get
        {
            if (Name is not null)
            {
                return Name;
            }

            if (AllOf is not null)
            {
                foreach (var member in AllOf)
                {
                    if (member.Name is not null)
                    {
                        return member.Name;
                    }
                }
            }

            return "the documented inline object";
        }
    }

    public bool TryGetProperty(string name, out SchemaNode schema)
    {
        if (Properties is not null && Properties.TryGetValue(name, out var own))
        {
            schema = own;
            return true;
        }

        if (AllOf is not null)
        {
            foreach (var member in AllOf)
            {
                if (member.TryGetProperty(name, out schema))
                {
                    return true;
                }
            }
        }

        schema = Any;
        return false;
    }

    /// <summary>The value schema for keys that are not declared properties, or null when such keys are not allowed.</summary>
    public SchemaNode? AdditionalValueSchema()
    {
        if (AdditionalProperties is not null)
        {
            return AdditionalProperties;
        }

        if (AllowsAnyAdditional || IsOpenObject())
        {
            return Any;
        }

        if (AllOf is not null)
        {
            foreach (var member in AllOf)
            {
                var fromMember = member.AdditionalValueSchema();
                if (fromMember is not null)
                {
                    return fromMember;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// An object schema that declares neither properties nor additionalProperties (e.g. <c>{"type":"object"}</c> for a
    /// Java <c>Map&lt;String,Object&gt;</c>) admits any key. Declared properties close the object: Keycloak's
    /// generator always emits <c>additionalProperties</c> for maps, so an undeclared key there is a real mistake.
    /// </summary>
    private bool IsOpenObject() => Properties is null && AllOf is null && AdditionalProperties is null;
}
