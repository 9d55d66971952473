using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Checks of a value's shape (type, required, string maps, keyed lists), each reporting what it refuses.</summary>
    private sealed partial class Session
    {
        /// <summary>Maps a collection of objects identified by <paramref name="keyName"/>, refusing missing or duplicate keys.</summary>
        private List<JsonObject> MapKeyedList(JsonObject root, string section, string keyName, Action<JsonObject, string> validate) =>
            MapKeyedList(root, JsonPaths.Root, section, keyName, validate);

        /// <summary>Maps the collection <paramref name="section"/> of <paramref name="owner"/> (at <paramref name="ownerPath"/>).</summary>
        private List<JsonObject> MapKeyedList(JsonObject owner, string ownerPath, string section, string keyName, Action<JsonObject, string> validate)
        {
            var result = new List<JsonObject>();
            var sectionPath = JsonPaths.Property(ownerPath, section);
            if (!owner.TryGetPropertyValue(section, out var node) || !Check(node, sectionPath, out JsonArray? items))
            {
                return result;
            }

            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = JsonPaths.Index(sectionPath, i);
                if (!Check(items[i], itemPath, out JsonObject? item))
                {
                    continue;
                }

                if (RequiredString(item, itemPath, keyName, $"every entry of {section} is identified by its {keyName}") is { } key)
                {
                    var keyPath = JsonPaths.Property(itemPath, keyName);
                    if (seen.TryGetValue(key, out var firstPath))
                    {
                        Error(keyPath, $"duplicate {keyName} {Name(keyPath, item[keyName])} (first declared at {firstPath})");
                    }
                    else
                    {
                        seen[key] = itemPath;
                    }
                }

                validate(item, itemPath);
                result.Add(item.DeepClone().AsObject());
            }

            return result;
        }

        /// <summary>Reads an optional string-to-string object (Keycloak's config and attribute maps).</summary>
        private Dictionary<string, string> StringMap(JsonObject owner, string ownerPath, string key, string what)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var path = JsonPaths.Property(ownerPath, key);
            if (!owner.TryGetPropertyValue(key, out var node) || !Check(node, path, out JsonObject? map))
            {
                return result;
            }

            foreach (var (name, value) in map)
            {
                var valuePath = JsonPaths.Property(path, name);
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    result[name] = v.GetValue<string>();
                }
                else
                {
                    Error(valuePath, $"expected a string ({what} map strings to strings), got {Describe(valuePath, value)}");
                }
            }

            return result;
        }

        private string? RequiredString(JsonObject owner, string ownerPath, string key, string why)
        {
            var path = JsonPaths.Property(ownerPath, key);
            if (!owner.TryGetPropertyValue(key, out var node))
            {
                Error(path, $"missing: {why}");
                return null;
            }

            if (!Check(node, path, JsonShape.String))
            {
                return null;
            }

            var text = node!.GetValue<string>();
            if (text.Length == 0)
            {
                Error(path, $"empty: {why}");
                return null;
            }

            return text;
        }

        private void CheckFields(JsonObject owner, string ownerPath, IEnumerable<string> keys, JsonShape type)
        {
            foreach (var key in keys)
            {
                if (owner.TryGetPropertyValue(key, out var node))
                {
                    Check(node, JsonPaths.Property(ownerPath, key), type);
                }
            }
        }

        private bool Check(JsonNode? node, string path, JsonShape type)
        {
            switch (type)
            {
                case JsonShape.String when node is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                case JsonShape.Boolean when node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                case JsonShape.Integer when node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<long>(out _):
                    return true;
                case JsonShape.StringArray when node is JsonArray array:
                    var valid = true;
                    for (var i = 0; i < array.Count; i++)
                    {
                        valid &= Check(array[i], JsonPaths.Index(path, i), JsonShape.String);
                    }

                    return valid;
            }

            var expected = type switch
            {
                JsonShape.String => "a string",
                JsonShape.Boolean => "a boolean",
                JsonShape.Integer => "a whole number",
                _ => "an array of strings",
            };
            var hint = type != JsonShape.String && resolutions.ContainsKey(path) ? "; an ${env:...} reference always gives a string" : "";
            Error(path, $"expected {expected}, got {Describe(path, node)}{hint}");
            return false;
        }

        private bool Check<T>(JsonNode? node, string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? container)
            where T : JsonNode
        {
            container = node as T;
            if (container is null)
            {
                Error(path, $"expected {(typeof(T) == typeof(JsonArray) ? "an array" : "an object")}, got {Describe(path, node)}");
                return false;
            }

            return true;
        }
    }
}
