using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdpBridge.Cli;

/// <summary>The one set of JSON settings of every command's <c>--output json</c>.</summary>
internal static class CliJson
{
    /// <summary>
    /// camelCase names, indented, enums as lower-case words (<c>"kind": "material"</c>, not a number a reader must
    /// look up).
    /// </summary>
    public static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
