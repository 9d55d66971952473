using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Resolves <c>${env:...}</c> references in the parts IdpBridge manages, remembering which values came from them.</summary>
    private sealed partial class Session
    {
        /// <summary>Resolves <c>${env:...}</c> in the parts of the document the loader uses.</summary>
        private void ResolveEnvironment(JsonObject root)
        {
            foreach (var (key, value) in root.ToList())
            {
                var path = JsonPaths.Property(JsonPaths.Root, key);
                if (key == UsersKey && value is JsonArray users)
                {
                    for (var i = 0; i < users.Count; i++)
                    {
                        if (users[i] is JsonObject user && user.ContainsKey("serviceAccountClientId"))
                        {
                            ResolveIn(user, JsonPaths.Index(path, i));
                        }
                    }
                }
                else if (key == ComponentsKey && value is JsonObject components)
                {
                    if (components[RealmConfigSchema.UserProfileComponentType] is { } userProfile)
                    {
                        ResolveIn(userProfile, JsonPaths.Property(path, RealmConfigSchema.UserProfileComponentType));
                    }
                }
                else if (value is not null && (RealmConfigSchema.ManagedSettings.Contains(key) || RealmConfigSchema.ManagedSections.Contains(key))
                    && Resolve(value, path) is { } resolved)
                {
                    root[key] = resolved;
                }
            }
        }

        private void ResolveIn(JsonNode node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToList())
                    {
                        var childPath = JsonPaths.Property(path, key);
                        if (child is not null && Resolve(child, childPath) is { } resolved)
                        {
                            obj[key] = resolved;
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is { } child && Resolve(child, JsonPaths.Index(path, i)) is { } resolved)
                        {
                            array[i] = resolved;
                        }
                    }

                    break;
            }
        }

        /// <summary>Resolves a string value (returning its replacement) or descends into a container (returning null).</summary>
        private JsonValue? Resolve(JsonNode node, string path)
        {
            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                ResolveIn(node, path);
                return null;
            }

            var text = value.GetValue<string>();
            if (!text.Contains(EnvironmentReferences.Marker, StringComparison.Ordinal))
            {
                return null;
            }

            var resolution = EnvironmentReferences.Resolve(text, environment);
            resolutions[path] = resolution;
            if (resolution.Malformed)
            {
                Error(path, "malformed environment reference: write ${env:NAME} or ${env:NAME:-default} (NAME of letters, digits and _)");
            }

            foreach (var name in resolution.Missing)
            {
                Error(path, $"environment variable {name} is not set (referenced as ${{env:{name}}}, without a default)");
            }

            if (resolution.Malformed || resolution.Missing.Count > 0)
            {
                // Checks of this value would only repeat the problem with a made-up value.
                unresolved.Add(path);
            }

            return JsonValue.Create(resolution.Value);
        }
    }
}
