using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Reads a realm config file into a <see cref="RealmConfig"/>, refusing it whole (one <see cref="RealmConfigException"/>
/// listing every problem) when anything in it is wrong: nothing is ever half-loaded.
/// </summary>
/// <remarks>
/// <para>
/// The file is Keycloak's own <c>RealmRepresentation</c> JSON: a hand-written subset, or the export of ONE realm
/// (an export holding several realms is refused). Strict JSON: no comments, no trailing commas, no duplicate keys.
/// </para>
/// <para>
/// The user profile is either a top-level <c>userProfile</c> object (the <c>UPConfig</c> of
/// <c>/users/profile</c>, as keycloak-config-cli writes it) or, in an export, the JSON string at
/// <c>components["org.keycloak.userprofile.UserProfileProvider"][0].config["kc.user.profile.config"][0]</c>;
/// declaring both is an error.
/// </para>
/// <para>
/// <c>${env:NAME}</c> and <c>${env:NAME:-default}</c> are resolved inside string values of the parts IdpBridge
/// manages (a reference in an ignored section is left as it is: its value is never used). The default applies when
/// the variable is unset or empty. A reference always yields a string, so it cannot stand for a boolean or a number.
/// </para>
/// </remarks>
public static partial class RealmConfigLoader
{
    /// <summary>The file read when <c>Load</c> is given a directory.</summary>
    public const string DirectoryFileName = "realm.json";

    /// <summary>At most this many errors are listed; the rest are counted (<see cref="RealmConfigException.OmittedErrors"/>).</summary>
    public const int MaxErrors = 100;

    /// <summary>Reads and validates the realm config at <paramref name="path"/>.</summary>
    /// <param name="path">A file, or a directory holding <see cref="DirectoryFileName"/>.</param>
    /// <param name="environment">
    /// Looks up environment variables for <c>${env:NAME}</c> (null when unset); default
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>.
    /// </param>
    /// <returns>The config and its warnings.</returns>
    /// <exception cref="RealmConfigException">The file is missing, unreadable or invalid; the message lists every problem.</exception>
    public static RealmConfigLoadResult Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = Directory.Exists(path) ? Path.Combine(path, DirectoryFileName) : path;
        byte[] utf8;
        try
        {
            utf8 = File.ReadAllBytes(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var reason = exception is FileNotFoundException or DirectoryNotFoundException
                ? file == path ? "file not found" : $"file not found (a directory stands for the {DirectoryFileName} inside it)"
                : $"cannot be read: {exception.Message}";
            throw new RealmConfigException(file, [new RealmConfigDiagnostic(file, null, null, null, reason)]);
        }

        return Parse(utf8, file, environment);
    }

    /// <summary>Validates a realm config held in memory (the same rules as <see cref="Load"/>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The name used in messages and as <see cref="RealmConfig.SourcePath"/>.</param>
    /// <param name="environment">Looks up environment variables; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The config and its warnings.</returns>
    /// <exception cref="RealmConfigException">The JSON is invalid; the message lists every problem.</exception>
    public static RealmConfigLoadResult Parse(string json, string sourceName, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), sourceName, environment);
    }

    private static RealmConfigLoadResult Parse(byte[] utf8, string sourceName, Func<string, string?>? environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var bom = Encoding.UTF8.Preamble;
        if (utf8.AsSpan().StartsWith(bom))
        {
            utf8 = utf8[bom.Length..];
        }

        return new Session(sourceName, utf8, environment ?? Environment.GetEnvironmentVariable).Run();
    }

    /// <summary>One load: the document, its source map, and the problems found so far.</summary>
    private sealed partial class Session(string file, byte[] utf8, Func<string, string?> environment)
    {
        private const string UsersKey = "users";
        private const string ComponentsKey = "components";

        private static readonly HashSet<string> UnmanagedAttributePolicies = new(StringComparer.Ordinal) { "ENABLED", "ADMIN_VIEW", "ADMIN_EDIT" };
        private static readonly string[] RequiredProfileAttributes = ["username", "email"];
        private static readonly string[] SslRequiredValues = ["none", "external", "all"];
        private static readonly string[] IdentityProviderBooleans =
            ["enabled", "trustEmail", "storeToken", "addReadTokenRoleOnCreate", "authenticateByDefault", "linkOnly", "hideOnLogin"];
        private static readonly string[] RequiredActionBooleans = ["enabled", "defaultAction"];
        private static readonly string[] ClientBooleans =
        [
            "enabled", "publicClient", "bearerOnly", "consentRequired", "standardFlowEnabled", "implicitFlowEnabled",
            "directAccessGrantsEnabled", "serviceAccountsEnabled", "frontchannelLogout", "fullScopeAllowed",
        ];
        private static readonly string[] ClientStringArrays = ["redirectUris", "webOrigins"];

        /// <summary>The JSON type of each managed setting; a setting missing here is taken as declared.</summary>
        private static readonly Dictionary<string, Expected> SettingTypes = new(StringComparer.Ordinal)
        {
            ["displayName"] = Expected.String, ["displayNameHtml"] = Expected.String, ["enabled"] = Expected.Boolean,
            ["sslRequired"] = Expected.String, ["registrationAllowed"] = Expected.Boolean,
            ["registrationEmailAsUsername"] = Expected.Boolean, ["rememberMe"] = Expected.Boolean,
            ["verifyEmail"] = Expected.Boolean, ["loginWithEmailAllowed"] = Expected.Boolean,
            ["duplicateEmailsAllowed"] = Expected.Boolean, ["resetPasswordAllowed"] = Expected.Boolean,
            ["editUsernameAllowed"] = Expected.Boolean, ["bruteForceProtected"] = Expected.Boolean,
            ["loginTheme"] = Expected.String, ["accountTheme"] = Expected.String, ["emailTheme"] = Expected.String,
            ["adminTheme"] = Expected.String, ["internationalizationEnabled"] = Expected.Boolean,
            ["supportedLocales"] = Expected.StringArray, ["defaultLocale"] = Expected.String,
            ["eventsEnabled"] = Expected.Boolean, ["eventsExpiration"] = Expected.Integer,
            ["enabledEventTypes"] = Expected.StringArray, ["eventsListeners"] = Expected.StringArray,
            ["adminEventsEnabled"] = Expected.Boolean, ["adminEventsDetailsEnabled"] = Expected.Boolean,
        };

        private readonly List<RealmConfigDiagnostic> _errors = [];
        private readonly List<RealmConfigDiagnostic> _warnings = [];
        private readonly Dictionary<string, EnvironmentReferences.Resolution> _resolved = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unresolved = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _ignored = new(StringComparer.Ordinal);
        private JsonSourceMap _map = null!;
        private int _errorCount;

        private enum Expected
        {
            String,
            Boolean,
            Integer,
            StringArray,
        }

        public RealmConfigLoadResult Run()
        {
            var root = ParseDocument();
            ResolveEnvironment(root);
            var config = Map(root);
            if (_errorCount > 0)
            {
                Refuse();
            }

            return new RealmConfigLoadResult(config, [.. _warnings.OrderBy(w => w.Line ?? 0).ThenBy(w => w.Column ?? 0)]);
        }

        private JsonObject ParseDocument()
        {
            _map = new JsonSourceMap(utf8);
            try
            {
                _map.Walk();
            }
            catch (JsonException exception)
            {
                var (line, column) = _map.Position(exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
                _errors.Add(new RealmConfigDiagnostic(file, null, line, column, $"invalid JSON: {ReaderReason(exception.Message)}"));
                _errorCount++;
                Refuse();
            }

            foreach (var (path, name, line, column) in _map.DuplicateProperties)
            {
                _errors.Add(new RealmConfigDiagnostic(file, path, line, column, $"duplicate property \"{name}\" (Keycloak would silently keep the last one)"));
                _errorCount++;
            }

            if (_errorCount > 0)
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
            _resolved[path] = resolution;
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
                _unresolved.Add(path);
            }

            return JsonValue.Create(resolution.Value);
        }

        private RealmConfig Map(JsonObject root)
        {
            var realmName = RequiredString(root, JsonPaths.Root, "realm", "every realm config names its realm (\"realm\": \"name\")");
            var settings = MapSettings(root);
            var attributes = StringMap(root, JsonPaths.Root, "attributes", "realm attributes");
            var userProfile = MapUserProfile(root);
            var requiredActions = MapKeyedList(root, "requiredActions", "alias", ValidateRequiredAction);
            var identityProviders = MapKeyedList(root, "identityProviders", "alias", ValidateIdentityProvider);
            var mappers = MapMappers(root);
            var clients = MapKeyedList(root, "clients", "clientId", ValidateClient);
            var serviceAccountRoles = MapServiceAccounts(root);
            var localization = MapLocalization(root);
            var smtpServer = MapSmtpServer(root);
            var exclusive = MapExtension(root);

            foreach (var (key, _) in root)
            {
                if (!RealmConfigSchema.ManagedSettings.Contains(key) && !RealmConfigSchema.ManagedSections.Contains(key))
                {
                    _ignored.Add(key);
                }
            }

            return new RealmConfig
            {
                SourcePath = file,
                RealmName = realmName ?? "",
                Settings = settings,
                Attributes = attributes,
                UserProfile = userProfile,
                RequiredActions = requiredActions,
                IdentityProviders = identityProviders,
                IdentityProviderMappers = mappers,
                Clients = clients,
                ServiceAccountRoles = serviceAccountRoles,
                LocalizationTexts = localization,
                SmtpServer = smtpServer,
                ExclusiveCollections = exclusive,
                IgnoredSections = [.. _ignored],
            };
        }

        private JsonObject MapSettings(JsonObject root)
        {
            var settings = new JsonObject();
            foreach (var (key, value) in root)
            {
                if (!RealmConfigSchema.ManagedSettings.Contains(key))
                {
                    continue;
                }

                var path = JsonPaths.Property(JsonPaths.Root, key);
                var valid = SettingTypes.TryGetValue(key, out var type) ? Check(value, path, type) : value is not null || NotNull(path);
                if (valid)
                {
                    settings[key] = value!.DeepClone();
                }
            }

            if (settings["sslRequired"] is JsonValue ssl && !_unresolved.Contains("$.sslRequired")
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
                && !_unresolved.Contains("$.defaultLocale") && !supported.Contains(defaultLocale.GetValue<string>(), StringComparer.Ordinal))
            {
                var list = supported.Count == 0
                    ? "it is empty"
                    : string.Join(", ", supported.Select((locale, i) =>
                        _resolved.ContainsKey(JsonPaths.Index("$.supportedLocales", i)) ? Describe(JsonPaths.Index("$.supportedLocales", i), null) : locale));
                Error("$.defaultLocale", $"{Name("$.defaultLocale", defaultLocale)} is not among supportedLocales ({list})");
            }

            if (supported is { Count: > 0 } && settings["internationalizationEnabled"] is JsonValue i18n && !i18n.GetValue<bool>())
            {
                Warn("$.supportedLocales",
                    "internationalizationEnabled is false, so Keycloak shows only English: the supported locales take effect once it is true");
            }
        }

        private JsonObject? MapUserProfile(JsonObject root)
        {
            JsonObject? declared = null;
            const string DeclaredPath = "$.userProfile";
            if (root.TryGetPropertyValue("userProfile", out var node) && Check(node, DeclaredPath, out JsonObject? profile))
            {
                ValidateUserProfile(profile, DeclaredPath, embeddedIn: null, hasEnvironmentReferences: false);
                declared = profile;
            }

            var fromComponent = MapUserProfileComponent(root);
            if (declared is not null && fromComponent is not null)
            {
                Error(DeclaredPath,
                    $"the user profile is declared twice, here and in components['{RealmConfigSchema.UserProfileComponentType}']: keep one");
            }

            return (declared ?? fromComponent)?.DeepClone().AsObject();
        }

        private JsonObject? MapUserProfileComponent(JsonObject root)
        {
            const string ComponentsPath = "$." + ComponentsKey;
            if (!root.TryGetPropertyValue(ComponentsKey, out var node) || !Check(node, ComponentsPath, out JsonObject? components))
            {
                return null;
            }

            JsonObject? result = null;
            foreach (var (type, instances) in components)
            {
                var typePath = JsonPaths.Property(ComponentsPath, type);
                if (type != RealmConfigSchema.UserProfileComponentType)
                {
                    _ignored.Add(ComponentsKey + typePath[ComponentsPath.Length..]);
                    continue;
                }

                if (!Check(instances, typePath, out JsonArray? list) || list.Count == 0)
                {
                    continue;
                }

                if (list.Count > 1)
                {
                    Error(typePath, $"Keycloak keeps one user profile component; this declares {list.Count}");
                    continue;
                }

                var componentPath = JsonPaths.Index(typePath, 0);
                if (!Check(list[0], componentPath, out JsonObject? component))
                {
                    continue;
                }

                var configPath = JsonPaths.Property(componentPath, "config");
                var valuesPath = JsonPaths.Property(configPath, RealmConfigSchema.UserProfileConfigKey);
                if (component["config"] is null || component["config"] is JsonObject config && !config.ContainsKey(RealmConfigSchema.UserProfileConfigKey))
                {
                    _ignored.Add($"{ComponentsKey}{typePath[ComponentsPath.Length..]} (no {RealmConfigSchema.UserProfileConfigKey}: Keycloak's default profile)");
                    continue;
                }

                if (!Check(component["config"], configPath, out JsonObject? _)
                    || !Check(component["config"]![RealmConfigSchema.UserProfileConfigKey], valuesPath, out JsonArray? values))
                {
                    continue;
                }

                if (values.Count != 1)
                {
                    Error(valuesPath, $"expected one JSON string (the user profile), got {Count(values.Count, "value", "values")}");
                    continue;
                }

                var jsonPath = JsonPaths.Index(valuesPath, 0);
                if (!Check(values[0], jsonPath, Expected.String) || _unresolved.Contains(jsonPath))
                {
                    continue;
                }

                var hasReferences = _resolved.ContainsKey(jsonPath);
                try
                {
                    if (JsonNode.Parse(values[0]!.GetValue<string>()) is JsonObject profile)
                    {
                        ValidateUserProfile(profile, jsonPath, embeddedIn: jsonPath, hasReferences);
                        result = profile;
                    }
                    else
                    {
                        Error(jsonPath, "the user profile JSON in this string is not an object");
                    }
                }
                catch (JsonException exception)
                {
                    var at = $"line {(exception.LineNumber ?? 0) + 1}, position {(exception.BytePositionInLine ?? 0) + 1}";
                    var reason = hasReferences ? "" : $": {ReaderReason(exception.Message)}";
                    Error(jsonPath, $"the user profile JSON in this string is invalid at {at} of the string{reason}");
                }
            }

            return result;
        }

        /// <param name="profile">The UPConfig.</param>
        /// <param name="path">Its path in the file.</param>
        /// <param name="embeddedIn">The path of the JSON string holding it, for a profile read from a component.</param>
        /// <param name="hasEnvironmentReferences">Whether that string held references (then no value of it is echoed).</param>
        private void ValidateUserProfile(JsonObject profile, string path, string? embeddedIn, bool hasEnvironmentReferences)
        {
            // Inside an embedded profile every problem is reported on the string, naming the path within it.
            void Problem(string innerPath, string reason)
            {
                if (embeddedIn is null)
                {
                    Error(innerPath, reason);
                }
                else
                {
                    Error(embeddedIn, $"in the user profile, {JsonPaths.Root}{innerPath[path.Length..]}: {reason}");
                }
            }

            string Value(string innerPath, JsonNode? node) =>
                embeddedIn is not null && hasEnvironmentReferences ? Kind(node) : Describe(innerPath, node);

            var attributesPath = JsonPaths.Property(path, "attributes");
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (profile["attributes"] is JsonArray attributes)
            {
                for (var i = 0; i < attributes.Count; i++)
                {
                    var attributePath = JsonPaths.Index(attributesPath, i);
                    if (attributes[i] is JsonObject attribute && attribute["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
                    {
                        names.Add(name.GetValue<string>());
                    }
                    else
                    {
                        Problem(attributePath, $"expected an attribute object with a name, got {Value(attributePath, attributes[i])}");
                    }
                }
            }
            else if (profile.ContainsKey("attributes"))
            {
                Problem(attributesPath, $"expected an array, got {Value(attributesPath, profile["attributes"])}");
                return;
            }

            foreach (var required in RequiredProfileAttributes.Where(r => !names.Contains(r)))
            {
                Problem(attributesPath,
                    $"the user profile drops '{required}', which Keycloak refuses (\"The attribute '{required}' can not be removed\")");
            }

            var policyPath = JsonPaths.Property(path, "unmanagedAttributePolicy");
            if (profile.TryGetPropertyValue("unmanagedAttributePolicy", out var policy))
            {
                var text = policy is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (text == "DISABLED")
                {
                    Problem(policyPath,
                        "Keycloak has no DISABLED value: leave unmanagedAttributePolicy out to disable unmanaged attributes");
                }
                else if (text is null || !UnmanagedAttributePolicies.Contains(text))
                {
                    Problem(policyPath,
                        $"expected ENABLED, ADMIN_VIEW or ADMIN_EDIT (or no unmanagedAttributePolicy to disable unmanaged attributes), got {Value(policyPath, policy)}");
                }
            }

            var groupsPath = JsonPaths.Property(path, "groups");
            if (profile.TryGetPropertyValue("groups", out var groups) && groups is not JsonArray)
            {
                Problem(groupsPath, $"expected an array, got {Value(groupsPath, groups)}");
            }
        }

        /// <summary>Maps a collection of objects identified by <paramref name="keyName"/>, refusing missing or duplicate keys.</summary>
        private List<JsonObject> MapKeyedList(JsonObject root, string section, string keyName, Action<JsonObject, string> validate)
        {
            var result = new List<JsonObject>();
            var sectionPath = JsonPaths.Property(JsonPaths.Root, section);
            if (!root.TryGetPropertyValue(section, out var node) || !Check(node, sectionPath, out JsonArray? items))
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

        private void ValidateRequiredAction(JsonObject action, string path)
        {
            CheckFields(action, path, RequiredActionBooleans, Expected.Boolean);
            CheckFields(action, path, ["priority"], Expected.Integer);
            CheckFields(action, path, ["providerId", "name"], Expected.String);
            StringMap(action, path, "config", "required action config");
        }

        private void ValidateIdentityProvider(JsonObject provider, string path)
        {
            var typePath = JsonPaths.Property(path, "providerId");
            var known = string.Join(", ", RealmConfigSchema.KnownIdentityProviderTypes.Order(StringComparer.Ordinal));
            if (RequiredString(provider, path, "providerId", $"every identity provider names its type; Keycloak 26 knows {known}") is { } type
                && !_unresolved.Contains(typePath) && !RealmConfigSchema.KnownIdentityProviderTypes.Contains(type))
            {
                Error(typePath, $"unknown identity provider type {Name(typePath, provider["providerId"])}; Keycloak 26 knows {known}");
            }

            CheckFields(provider, path, IdentityProviderBooleans, Expected.Boolean);
            StringMap(provider, path, "config", "identity provider config");
        }

        private List<JsonObject> MapMappers(JsonObject root)
        {
            const string Section = "identityProviderMappers";
            var result = new List<JsonObject>();
            var sectionPath = JsonPaths.Property(JsonPaths.Root, Section);
            if (!root.TryGetPropertyValue(Section, out var node) || !Check(node, sectionPath, out JsonArray? items))
            {
                return result;
            }

            var seen = new Dictionary<(string, string), string>();
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = JsonPaths.Index(sectionPath, i);
                if (!Check(items[i], itemPath, out JsonObject? mapper))
                {
                    continue;
                }

                var alias = RequiredString(mapper, itemPath, "identityProviderAlias", "every mapper names the identity provider it belongs to");
                var name = RequiredString(mapper, itemPath, "name", "every mapper is identified by its name");
                RequiredString(mapper, itemPath, "identityProviderMapper", "every mapper names its type (e.g. hardcoded-attribute-idp-mapper)");
                StringMap(mapper, itemPath, "config", "mapper config");
                if (alias is not null && name is not null)
                {
                    if (seen.TryGetValue((alias, name), out var firstPath))
                    {
                        var namePath = JsonPaths.Property(itemPath, "name");
                        Error(namePath,
                            $"duplicate mapper {Name(namePath, mapper["name"])} for identity provider " +
                            $"{Name(JsonPaths.Property(itemPath, "identityProviderAlias"), mapper["identityProviderAlias"])} (first declared at {firstPath})");
                    }
                    else
                    {
                        seen[(alias, name)] = itemPath;
                    }
                }

                result.Add(mapper.DeepClone().AsObject());
            }

            return result;
        }

        private void ValidateClient(JsonObject client, string path)
        {
            CheckFields(client, path, ClientBooleans, Expected.Boolean);
            CheckFields(client, path, ClientStringArrays, Expected.StringArray);
            StringMap(client, path, "attributes", "client attributes");
        }

        private Dictionary<string, IReadOnlyList<string>> MapServiceAccounts(JsonObject root)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            const string UsersPath = "$." + UsersKey;
            if (!root.TryGetPropertyValue(UsersKey, out var node) || !Check(node, UsersPath, out JsonArray? users))
            {
                return result;
            }

            var people = 0;
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < users.Count; i++)
            {
                var userPath = JsonPaths.Index(UsersPath, i);
                if (!Check(users[i], userPath, out JsonObject? user))
                {
                    continue;
                }

                if (!user.ContainsKey("serviceAccountClientId"))
                {
                    people++;
                    continue;
                }

                var clientIdPath = JsonPaths.Property(userPath, "serviceAccountClientId");
                var clientId = RequiredString(user, userPath, "serviceAccountClientId", "a service account names its client");
                var roles = ServiceAccountRoles(user, userPath);
                if (clientId is null || roles is null)
                {
                    continue;
                }

                if (seen.TryGetValue(clientId, out var firstPath))
                {
                    Error(clientIdPath, $"duplicate service account of client {Name(clientIdPath, user["serviceAccountClientId"])} (first declared at {firstPath})");
                    continue;
                }

                seen[clientId] = userPath;
                result[clientId] = roles;
            }

            if (people > 0)
            {
                _ignored.Add($"{UsersKey} ({Count(people, "person", "people")}; IdpBridge never provisions people)");
            }

            return result;
        }

        private List<string>? ServiceAccountRoles(JsonObject user, string userPath)
        {
            var clientRolesPath = JsonPaths.Property(userPath, "clientRoles");
            if (!user.TryGetPropertyValue("clientRoles", out var node))
            {
                return [];
            }

            if (!Check(node, clientRolesPath, out JsonObject? clientRoles))
            {
                return null;
            }

            var rolesPath = JsonPaths.Property(clientRolesPath, "realm-management");
            if (!clientRoles.TryGetPropertyValue("realm-management", out var roles))
            {
                return [];
            }

            return Check(roles, rolesPath, Expected.StringArray) ? [.. roles!.AsArray().Select(r => r!.GetValue<string>())] : null;
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

                if (!Check(value, path, Expected.StringArray))
                {
                    continue;
                }

                var capable = string.Join(", ", RealmConfigSchema.ExclusiveCapable.Order(StringComparer.Ordinal));
                var items = value!.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = JsonPaths.Index(path, i);
                    var collection = items[i]!.GetValue<string>();
                    if (_unresolved.Contains(itemPath))
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

            if (!Check(node, path, Expected.String))
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

        private void CheckFields(JsonObject owner, string ownerPath, IEnumerable<string> keys, Expected type)
        {
            foreach (var key in keys)
            {
                if (owner.TryGetPropertyValue(key, out var node))
                {
                    Check(node, JsonPaths.Property(ownerPath, key), type);
                }
            }
        }

        private bool Check(JsonNode? node, string path, Expected type)
        {
            switch (type)
            {
                case Expected.String when node is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                case Expected.Boolean when node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                case Expected.Integer when node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<long>(out _):
                    return true;
                case Expected.StringArray when node is JsonArray array:
                    var valid = true;
                    for (var i = 0; i < array.Count; i++)
                    {
                        valid &= Check(array[i], JsonPaths.Index(path, i), Expected.String);
                    }

                    return valid;
            }

            var expected = type switch
            {
                Expected.String => "a string",
                Expected.Boolean => "a boolean",
                Expected.Integer => "a whole number",
                _ => "an array of strings",
            };
            var hint = type != Expected.String && _resolved.ContainsKey(path) ? "; an ${env:...} reference always gives a string" : "";
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

        private bool NotNull(string path)
        {
            Error(path, "null is not a value: leave the field out to keep Keycloak's value");
            return false;
        }

        /// <summary>Names a value for a message without leaking it: secrets and resolved variables are never echoed.</summary>
        private string Describe(string path, JsonNode? node)
        {
            if (_resolved.TryGetValue(path, out var resolution))
            {
                var references = string.Join(", ", resolution.Names.Distinct(StringComparer.Ordinal).Select(n => $"${{env:{n}}}"));
                return resolution.IsWholeValue ? $"the value of {references}" : $"a string built from {references}";
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
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String && !_resolved.ContainsKey(path)
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

        /// <summary>The reader's reason without its own position suffix and its advice to change reader options.</summary>
        private static string ReaderReason(string message)
        {
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var reason = (cut >= 0 ? message[..cut] : message).Replace(" Change the reader options.", "", StringComparison.Ordinal).Trim();
            var path = reason.IndexOf(" Path: ", StringComparison.Ordinal);
            return (path >= 0 ? reason[..path] : reason).TrimEnd(' ', '|').Trim();
        }

        private void Error(string path, string reason)
        {
            if (_unresolved.Contains(path))
            {
                return;
            }

            _errorCount++;
            if (_errors.Count < MaxErrors)
            {
                _errors.Add(Diagnostic(path, reason));
            }
        }

        private void Warn(string path, string reason) => _warnings.Add(Diagnostic(path, reason));

        private RealmConfigDiagnostic Diagnostic(string path, string reason)
        {
            var (line, column) = _map.Locate(path);
            return new RealmConfigDiagnostic(file, path, line, column, reason);
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Refuse()
        {
            var ordered = _errors.OrderBy(e => e.Line ?? 0).ThenBy(e => e.Column ?? 0).ToList();
            throw new RealmConfigException(file, ordered, _errorCount - _errors.Count);
        }
    }
}
