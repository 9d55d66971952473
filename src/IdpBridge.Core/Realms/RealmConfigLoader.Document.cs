using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Reads the document: strict JSON, positions of every path, duplicate keys, one realm per file.</summary>
    private sealed partial class Session
    {
        private JsonObject ParseDocument()
        {
            sourceMap = new JsonSourceMap(utf8);
            try
            {
                sourceMap.Walk();
            }
            catch (JsonException exception)
            {
                var (line, column) = sourceMap.Position(exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
                errors.Add(new RealmConfigDiagnostic(file, null, line, column, $"invalid JSON: {ReaderReason(exception.Message)}"));
                errorCount++;
                Refuse();
            }

            foreach (var (path, name, line, column) in sourceMap.DuplicateProperties)
            {
                errors.Add(new RealmConfigDiagnostic(file, path, line, column, $"duplicate property \"{name}\" (Keycloak would silently keep the last one)"));
                errorCount++;
            }

            if (errorCount > 0)
            {
                Refuse();
            }

            var node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            switch (node)
            {
                case JsonObject realm:
                    return realm;
                case JsonArray realms:
                    var names = realms.Select(r => r is JsonObject o && o["realm"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        ? v.GetValue<string>()
                        : "(unnamed)");
                    Error(JsonPaths.Root,
                        $"the file holds {Count(realms.Count, "realm", "realms")} ({string.Join(", ", names)}); IdpBridge provisions one realm " +
                        "per file: save the one you mean on its own (an object, not an array)");
                    break;
                default:
                    Error(JsonPaths.Root, $"expected a realm (a JSON object), got {Describe(JsonPaths.Root, node)}");
                    break;
            }

            Refuse();
            return null!;
        }

        /// <summary>The reader's reason without its own position suffix and its advice to change reader options.</summary>
        private static string ReaderReason(string message)
        {
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var reason = (cut >= 0 ? message[..cut] : message).Replace(" Change the reader options.", "", StringComparison.Ordinal).Trim();
            var path = reason.IndexOf(" Path: ", StringComparison.Ordinal);
            return (path >= 0 ? reason[..path] : reason).TrimEnd(' ', '|').Trim();
        }
    }
}
