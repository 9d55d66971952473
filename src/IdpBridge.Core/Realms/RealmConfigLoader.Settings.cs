using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>The realm's own settings and realm-level maps: managed settings, locales, localization texts, <c>x-idpbridge</c>.</summary>
    private sealed partial class Session
    {
        private static readonly string[] SslRequiredValues = ["none", "external", "all"];

        private JsonObject MapSettings(JsonObject root)
        {
            var settings = new JsonObject();
            foreach (var (key, value) in root)
            {
                if (!RealmConfigSchema.ManagedSettingShapes.TryGetValue(key, out var shape))
                {
                    continue;
                }

                if (Check(value, JsonPaths.Property(JsonPaths.Root, key), shape))
                {
                    settings[key] = value!.DeepClone();
                }
            }

            if (settings["sslRequired"] is JsonValue ssl && !unresolved.Contains("$.sslRequired")
                && !SslRequiredValues.Contains(ssl.GetValue<string>(), StringComparer.OrdinalIgnoreCase))
            {
                Error("$.sslRequired", $"expected none, external or all, got {Describe("$.sslRequired", ssl)}");
            }

            CheckLocales(settings);
            return settings;
        }

        private void CheckLocales(JsonObject settings)
        {
            var supported = settings["supportedLocales"] is JsonArray locales
                ? locales.Select(l => l!.GetValue<string>()).ToList()
                : null;
            if (supported is not null && settings["defaultLocale"] is JsonValue defaultLocale
                && !unresolved.Contains("$.defaultLocale") && !supported.Contains(defaultLocale.GetValue<string>(), StringComparer.Ordinal))
            {
                var list = supported.Count == 0
                    ? "it is empty"
                    : string.Join(", ", supported.Select((locale, i) =>
                        resolutions.ContainsKey(JsonPaths.Index("$.supportedLocales", i)) ? Describe(JsonPaths.Index("$.supportedLocales", i), null) : locale));
                Error("$.defaultLocale", $"{Name("$.defaultLocale", defaultLocale)} is not among supportedLocales ({list})");
            }

            if (supported is { Count: > 0 } && settings["internationalizationEnabled"] is JsonValue i18n && !i18n.GetValue<bool>())
            {
                Warn("$.supportedLocales",
                    "internationalizationEnabled is false, so Keycloak shows only English: the supported locales take effect once it is true");
            }
        }

        private Dictionary<string, IReadOnlyDictionary<string, string>> MapLocalization(JsonObject root)
        {
            var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            const string Section = "localizationTexts";
            if (!root.TryGetPropertyValue(Section, out var node) || !Check(node, "$." + Section, out JsonObject? locales))
            {
                return result;
            }

            foreach (var (locale, _) in locales)
            {
                result[locale] = StringMap(locales, "$." + Section, locale, "localization texts");
            }

            return result;
        }

        private HashSet<string> MapExtension(JsonObject root)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            const string ExtensionPath = "$." + RealmConfigSchema.ExtensionKey;
            if (!root.TryGetPropertyValue(RealmConfigSchema.ExtensionKey, out var node) || !Check(node, ExtensionPath, out JsonObject? extension))
            {
                return result;
            }

            foreach (var (key, value) in extension)
            {
                var path = JsonPaths.Property(ExtensionPath, key);
                if (key != "exclusive")
                {
                    Error(path, "unknown IdpBridge option; known: exclusive");
                    continue;
                }

                if (!Check(value, path, JsonShape.StringArray))
                {
                    continue;
                }

                var capable = string.Join(", ", RealmConfigSchema.ExclusiveCapable.Order(StringComparer.Ordinal));
                var items = value!.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = JsonPaths.Index(path, i);
                    var collection = items[i]!.GetValue<string>();
                    if (unresolved.Contains(itemPath))
                    {
                        continue;
                    }

                    if (RealmConfigSchema.ExclusiveCapable.Contains(collection))
                    {
                        result.Add(collection);
                    }
                    else
                    {
                        Error(itemPath, $"{Name(itemPath, items[i])} cannot be exclusive; only {capable} can");
                    }
                }
            }

            return result;
        }
    }
}
