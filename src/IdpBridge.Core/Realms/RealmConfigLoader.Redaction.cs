using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>How values are named in messages: secrets and values from the environment are never echoed.</summary>
    private sealed partial class Session
    {
        /// <summary>Names a value for a message without leaking it: secrets and resolved variables are never echoed.</summary>
        private string Describe(string path, JsonNode? node)
        {
            if (resolutions.TryGetValue(path, out var resolution))
            {
                var variables = string.Join(", ", resolution.Names.Distinct(StringComparer.Ordinal).Select(n => $"${{env:{n}}}"));
                return resolution.IsWholeValue ? $"the value of {variables}" : $"a string built from {variables}";
            }

            if (JsonPaths.LastPropertyName(path) is { } name && RealmConfigSchema.IsSecretField(name))
            {
                return Kind(node);
            }

            return node switch
            {
                JsonValue value when value.GetValueKind() == JsonValueKind.String => $"the string {Quote(value.GetValue<string>())}",
                JsonValue value when value.GetValueKind() == JsonValueKind.Number => $"the number {value.ToJsonString()}",
                JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => Kind(node),
            };
        }

        /// <summary>Like <see cref="Describe"/>, but a plain string is just quoted (for names: aliases, types, locales).</summary>
        private string Name(string path, JsonNode? node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String && !resolutions.ContainsKey(path)
            && !(JsonPaths.LastPropertyName(path) is { } name && RealmConfigSchema.IsSecretField(name))
                ? Quote(value.GetValue<string>())
                : Describe(path, node);

        private static string Kind(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            _ => node.GetValueKind() switch
            {
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                _ => "a boolean",
            },
        };

        private static string Quote(string text)
        {
            const int MaxLength = 60;
            return text.Length <= MaxLength ? $"\"{text}\"" : $"\"{text[..MaxLength]}...\"";
        }

        private static string Count(int count, string singular, string plural) =>
            $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural)}";
    }
}
