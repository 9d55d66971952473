using System.Text;
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
    /// <remarks>
    /// This file holds the load's state, its order and how problems are collected; each step has a file of its own:
    /// reading the document with positions (<c>.Document</c>), <c>${env:...}</c> references (<c>.Environment</c>), the
    /// checks of a value's shape (<c>.Checks</c>), naming values in messages without leaking secrets (<c>.Redaction</c>),
    /// and one file per section of the realm (<c>.Settings</c>, <c>.UserProfile</c>, <c>.RequiredActions</c>,
    /// <c>.IdentityProviders</c>, <c>.Roles</c>, <c>.ClientScopes</c>, <c>.Clients</c>, <c>.SmtpServer</c>).
    /// </remarks>
    private sealed partial class Session(string file, byte[] utf8, Func<string, string?> environment)
    {
        private const string UsersKey = "users";
        private const string ComponentsKey = "components";

        private readonly List<RealmConfigDiagnostic> errors = [];
        private readonly List<RealmConfigDiagnostic> warnings = [];
        private readonly Dictionary<string, EnvironmentReferences.Resolution> resolutions = new(StringComparer.Ordinal);
        private readonly HashSet<string> unresolved = new(StringComparer.Ordinal);
        private readonly SortedSet<string> ignored = new(StringComparer.Ordinal);
        private readonly List<RealmConfigReference> references = [];
        private JsonSourceMap sourceMap = null!;
        private int errorCount;

        public RealmConfigLoadResult Run()
        {
            var root = ParseDocument();
            ResolveEnvironment(root);
            var config = Map(root);
            if (errorCount > 0)
            {
                Refuse();
            }

            return new RealmConfigLoadResult(config, [.. warnings.OrderBy(w => w.Line ?? 0).ThenBy(w => w.Column ?? 0)]);
        }

        private RealmConfig Map(JsonObject root)
        {
            var realmName = RequiredString(root, JsonPaths.Root, "realm", "every realm config names its realm (\"realm\": \"name\")");
            var settings = MapSettings(root);
            var attributes = StringMap(root, JsonPaths.Root, "attributes", "realm attributes");
            var userProfile = MapUserProfile(root);
            var requiredActions = MapKeyedList(root, "requiredActions", "alias", ValidateRequiredAction);
            CheckOneTermsStep(requiredActions);
            var identityProviders = MapKeyedList(root, "identityProviders", "alias", ValidateIdentityProvider);
            var mappers = MapMappers(root);
            var realmRoles = MapRealmRoles(root);
            var groups = MapKeyedList(root, "groups", "name", ValidateGroup);
            var clientScopes = MapKeyedList(root, "clientScopes", "name", ValidateClientScope);
            var defaultClientScopes = MapDefaultClientScopes(root);
            var clients = MapKeyedList(root, "clients", "clientId", ValidateClient);
            var serviceAccountRoles = MapServiceAccounts(root);
            var localization = MapLocalization(root);
            var smtpServer = MapSmtpServer(root);
            var exclusive = MapExtension(root);

            foreach (var (key, _) in root)
            {
                if (!RealmConfigSchema.ManagedSettings.Contains(key) && !RealmConfigSchema.ManagedSections.Contains(key))
                {
                    ignored.Add(key);
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
                RealmRoles = realmRoles,
                Groups = groups,
                ClientScopes = clientScopes,
                DefaultClientScopes = defaultClientScopes,
                Clients = clients,
                ServiceAccountRoles = serviceAccountRoles,
                LocalizationTexts = localization,
                SmtpServer = smtpServer,
                ExclusiveCollections = exclusive,
                IgnoredSections = [.. ignored],
                References = [.. references],
            };
        }

        private void Error(string path, string reason)
        {
            if (unresolved.Contains(path))
            {
                return;
            }

            errorCount++;
            if (errors.Count < MaxErrors)
            {
                errors.Add(Diagnostic(path, reason));
            }
        }

        private void Warn(string path, string reason) => warnings.Add(Diagnostic(path, reason));

        private RealmConfigDiagnostic Diagnostic(string path, string reason)
        {
            var (line, column) = sourceMap.Locate(path);
            return new RealmConfigDiagnostic(file, path, line, column, reason);
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Refuse()
        {
            var ordered = errors.OrderBy(e => e.Line ?? 0).ThenBy(e => e.Column ?? 0).ToList();
            throw new RealmConfigException(file, ordered, errorCount - errors.Count);
        }
    }
}