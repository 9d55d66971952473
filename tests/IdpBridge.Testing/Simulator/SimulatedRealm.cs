using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// The state of one simulated realm, for arranging and asserting without HTTP. Every member takes the realm's lock,
/// so it is safe to call while requests run. Returned JSON objects are copies.
/// </summary>
public sealed partial class SimulatedRealm
{
    /// <summary>Alias (and provider id) of the terms required action.</summary>
    public const string TermsAction = "TERMS_AND_CONDITIONS";

    /// <summary>The user attribute holding the last acceptance, epoch seconds.</summary>
    public const string TermsAttribute = "terms_and_conditions";

    private static readonly HashSet<string> RootAttributes = new(StringComparer.Ordinal) { "username", "email", "firstName", "lastName" };

    private readonly KeycloakSimulator sim;
    private readonly List<UserRecord> sorted = [];

    // Bumped whenever the order of the users changes (insert, remove, rename), so a page cursor knows it is stale.
    private long orderChanges;

    // Where the last unfiltered list page ended: (orderChanges then, users skipped so far, index in sorted).
    private (long Order, int Skipped, int Index) pageCursor = (-1, 0, 0);
    private readonly Dictionary<string, UserRecord> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserRecord> byUsername = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> emailCounts = new(StringComparer.Ordinal);
    private readonly List<JsonObject> events = [];
    private HashSet<string> managedAttributes = new(StringComparer.Ordinal);

    internal SimulatedRealm(KeycloakSimulator sim, string name, string id)
    {
        this.sim = sim;
        Name = name;
        Id = id;
        Settings = RealmDefaults.NewRealmSettings(name, id);
        RequiredActionsState = RealmDefaults.NewRequiredActions();
        SetUserProfileUnlocked(RealmDefaults.DefaultUserProfile());
        BuiltInRealmContent.AddClients(this);
        BuiltInRealmContent.AddRealmRoles(this);
    }

    /// <summary>The realm's name (<c>realm</c> in its representation).</summary>
    public string Name { get; }

    /// <summary>The realm's internal id.</summary>
    public string Id { get; }

    internal object Sync { get; } = new();

    internal TimeProvider Time => sim.TimeProvider;

    /// <summary>RealmRepresentation fields other than id and realm.</summary>
    internal JsonObject Settings { get; private set; }

    internal List<JsonObject> RequiredActionsState { get; }

    internal JsonObject UserProfileState { get; private set; } = [];

    internal List<JsonObject> IdentityProviders { get; } = [];

    internal List<JsonObject> IdentityProviderMappers { get; } = [];

    internal List<JsonObject> Clients { get; } = [];

    /// <summary>ClientScopeRepresentation (id, name, protocol) of the realm's client scopes.</summary>
    internal List<JsonObject> ClientScopes { get; } = BuiltInRealmContent.NewClientScopes();

    /// <summary>Client uuid → roles (RoleRepresentation).</summary>
    internal Dictionary<string, List<JsonObject>> ClientRoles { get; } = new(StringComparer.Ordinal);

    internal List<JsonObject> RealmRoles { get; } = [];

    internal SortedDictionary<string, SortedDictionary<string, string>> Localization { get; } = new(StringComparer.Ordinal);

    internal IReadOnlyList<UserRecord> SortedUsers => sorted;

    // ---------------------------------------------------------------- users

    /// <summary>Number of users, service accounts included.</summary>
    public int UserCount
    {
        get
        {
            lock (Sync)
            {
                return sorted.Count;
            }
        }
    }

    /// <summary>Ids of every user in username order (a snapshot).</summary>
    public IReadOnlyList<string> UserIds
    {
        get
        {
            lock (Sync)
            {
                return sorted.Select(u => u.Id).ToArray();
            }
        }
    }

    /// <summary>Copies of every stored user in username order (see <see cref="GetUser"/>); costly for big realms.</summary>
    public IReadOnlyList<JsonObject> GetUsers()
    {
        lock (Sync)
        {
            return sorted.Select(u => u.ToStateJson()).ToArray();
        }
    }

    /// <summary>
    /// Stores a user as given, like data already in Keycloak's database: required actions and attributes are not
    /// filtered (so legacy or invalid data can be arranged). Username (required) and email are lower-cased.
    /// Throws when the username (or id) is taken. Returns the id.
    /// </summary>
    public string AddUser(JsonObject user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (Sync)
        {
            var record = RecordFromJson(user, SimJson.Str(user, "id") ?? NewId(), filter: false);
            if (byUsername.ContainsKey(record.Username) || byId.ContainsKey(record.Id))
            {
                throw new InvalidOperationException($"User '{record.Username}' (or id {record.Id}) exists in realm '{Name}'.");
            }

            InsertUnlocked(record);
            return record.Id;
        }
    }

    /// <summary>Stores a user from plain values (see <see cref="AddUser(JsonObject)"/>). Returns the id.</summary>
    public string AddUser(
        string username,
        string? email = null,
        string? firstName = null,
        string? lastName = null,
        IEnumerable<string>? requiredActions = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? attributes = null,
        bool enabled = true)
    {
        var json = new JsonObject
        {
            ["username"] = username,
            ["email"] = email,
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["enabled"] = enabled,
            ["requiredActions"] = SimJson.ToArray(requiredActions ?? []),
        };
        if (attributes is not null)
        {
            var attrs = new JsonObject();
            foreach (var (key, values) in attributes)
            {
                attrs[key] = SimJson.ToArray(values);
            }

            json["attributes"] = attrs;
        }

        return AddUser(json);
    }

    /// <summary>
    /// A copy of the stored user: root fields, <c>requiredActions</c>, every attribute (hidden ones such as
    /// <c>terms_and_conditions</c> included), roles, links. Null when absent.
    /// </summary>
    public JsonObject? GetUser(string id)
    {
        lock (Sync)
        {
            return byId.TryGetValue(id, out var user) ? user.ToStateJson() : null;
        }
    }

    /// <summary>Id of the user with that username (case-insensitive), or null.</summary>
    public string? FindUserId(string username)
    {
        lock (Sync)
        {
            return byUsername.TryGetValue(username.ToLowerInvariant(), out var user) ? user.Id : null;
        }
    }

    /// <summary>Removes a user (no-op when absent).</summary>
    public void DeleteUser(string id)
    {
        lock (Sync)
        {
            if (byId.TryGetValue(id, out var user))
            {
                RemoveUnlocked(user);
            }
        }
    }

    /// <summary>Renames a user (moves it in the username order). Throws when the new name is taken.</summary>
    public void RenameUser(string id, string newUsername)
    {
        lock (Sync)
        {
            var user = byId.TryGetValue(id, out var found) ? found : throw new KeyNotFoundException($"No user {id} in '{Name}'.");
            RenameUnlocked(user, newUsername.ToLowerInvariant());
        }
    }

    /// <summary>Replaces a user's required actions as stored, without any filtering.</summary>
    public void SetRequiredActions(string id, params string[] actions)
    {
        lock (Sync)
        {
            var user = UserUnlocked(id);
            user.RequiredActions.Clear();
            user.RequiredActions.AddRange(actions.Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>Sets (or with null removes) a stored attribute, without profile rules (so also <c>terms_and_conditions</c>).</summary>
    public void SetAttribute(string id, string name, params string[]? values)
    {
        lock (Sync)
        {
            var user = UserUnlocked(id);
            if (values is null || values.Length == 0)
            {
                user.Attributes.Remove(name);
            }
            else
            {
                user.Attributes[name] = [.. values];
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> generated users <c>user000001</c>... (email <c>user000001@example.org</c>,
    /// first/last names from small lists, <c>createdTimestamp</c> one second apart before now). Deterministic: ids
    /// derive from the realm name and the index. Every 10th user carries <c>VERIFY_EMAIL</c>, every 25th
    /// <c>UPDATE_PASSWORD</c>; every 3rd has an attribute <c>department</c>; every 7th has accepted terms earlier
    /// (<c>terms_and_conditions</c> = epoch seconds). Returns the number added.
    /// </summary>
    public int SeedUsers(int count, int startIndex = 1, string usernamePrefix = "user")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        string[] firstNames = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gloria", "Hugo", "Irene", "Jorge", "Karen", "Luis"];
        string[] lastNames = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Díaz", "Moreno", "Álvarez"];
        string[] departments = ["sales", "support", "engineering", "finance"];
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var width = Math.Max(6, (startIndex + count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var records = new List<UserRecord>(count);
        for (var i = startIndex; i < startIndex + count; i++)
        {
            var username = usernamePrefix.ToLowerInvariant() + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            var record = new UserRecord
            {
                Id = DeterministicId(Name + "/" + username),
                Username = username,
                Email = username + "@example.org",
                FirstName = firstNames[i % firstNames.Length],
                LastName = lastNames[i / firstNames.Length % lastNames.Length],
                EmailVerified = i % 10 != 0,
                CreatedTimestamp = now - ((long)(startIndex + count - i) * 1000),
            };
            if (i % 10 == 0)
            {
                record.RequiredActions.Add("VERIFY_EMAIL");
            }

            if (i % 25 == 0)
            {
                record.RequiredActions.Add("UPDATE_PASSWORD");
            }

            if (i % 3 == 0)
            {
                record.Attributes["department"] = [departments[i % departments.Length]];
            }

            if (i % 7 == 0)
            {
                record.Attributes[TermsAttribute] = [((now / 1000) - 86_400 - i).ToString(CultureInfo.InvariantCulture)];
            }

            records.Add(record);
        }

        lock (Sync)
        {
            foreach (var record in records)
            {
                if (byUsername.ContainsKey(record.Username))
                {
                    throw new InvalidOperationException($"User '{record.Username}' exists in realm '{Name}'.");
                }
            }

            var appendOnly = sorted.Count == 0 || string.CompareOrdinal(sorted[^1].Username, records[0].Username) < 0;
            foreach (var record in records)
            {
                byId.Add(record.Id, record);
                byUsername.Add(record.Username, record);
                CountEmail(record.Email, +1);
                if (appendOnly)
                {
                    sorted.Add(record);
                }
            }

            if (!appendOnly)
            {
                sorted.AddRange(records);
                sorted.Sort((a, b) => string.CompareOrdinal(a.Username, b.Username));
            }

            orderChanges++;
        }

        return count;
    }

    internal UserRecord UserUnlocked(string id) =>
        byId.TryGetValue(id, out var user) ? user : throw new KeyNotFoundException($"No user {id} in realm '{Name}'.");

    internal UserRecord? FindUnlocked(string id) => byId.GetValueOrDefault(id);

    internal UserRecord? FindByUsernameUnlocked(string username) => byUsername.GetValueOrDefault(username.ToLowerInvariant());

    internal bool EmailTakenUnlocked(string email, UserRecord? self)
    {
        var count = emailCounts.GetValueOrDefault(email.ToLowerInvariant());
        var own = self?.Email is { } mine && string.Equals(mine, email, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        return count - own > 0;
    }

    internal void InsertUnlocked(UserRecord record)
    {
        byId.Add(record.Id, record);
        byUsername.Add(record.Username, record);
        CountEmail(record.Email, +1);
        var index = LowerBound(record.Username);
        sorted.Insert(index, record);
        orderChanges++;
    }

    internal void RemoveUnlocked(UserRecord user)
    {
        byId.Remove(user.Id);
        byUsername.Remove(user.Username);
        CountEmail(user.Email, -1);
        sorted.RemoveAt(LowerBound(user.Username));
        orderChanges++;
    }

    internal void RenameUnlocked(UserRecord user, string newUsername)
    {
        if (newUsername == user.Username)
        {
            return;
        }

        if (byUsername.ContainsKey(newUsername))
        {
            throw new InvalidOperationException($"User '{newUsername}' exists in realm '{Name}'.");
        }

        sorted.RemoveAt(LowerBound(user.Username));
        byUsername.Remove(user.Username);
        user.Username = newUsername;
        byUsername.Add(newUsername, user);
        sorted.Insert(LowerBound(newUsername), user);
        orderChanges++;
    }

    internal void SetEmailUnlocked(UserRecord user, string? email)
    {
        CountEmail(user.Email, -1);
        user.Email = email;
        CountEmail(email, +1);
    }

    /// <summary>
    /// The index in <see cref="SortedUsers"/> of the user at offset <paramref name="first"/> of the unfiltered user list
    /// (every user but service accounts, by username), or <c>SortedUsers.Count</c> past its end. A page that starts
    /// where the last one ended resumes there, so paging forward through a million users costs each page only its own
    /// length, not its offset (Keycloak's database pages by index; the simulator's time must not hide the client's).
    /// </summary>
    internal int UnfilteredOffsetUnlocked(int first)
    {
        var (order, skipped, index) = pageCursor;
        if (order != orderChanges || skipped > first)
        {
            (skipped, index) = (0, 0);
        }

        while (index < sorted.Count && (skipped < first || sorted[index].ServiceAccountClientId is not null))
        {
            if (sorted[index].ServiceAccountClientId is null)
            {
                skipped++;
            }

            index++;
        }

        pageCursor = (orderChanges, skipped, index);
        return index;
    }

    /// <summary>Index of the first user whose username is not less than <paramref name="username"/>.</summary>
    internal int LowerBound(string username)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(sorted[mid].Username, username) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private void CountEmail(string? email, int delta)
    {
        if (email is null)
        {
            return;
        }

        var key = email.ToLowerInvariant();
        var count = emailCounts.GetValueOrDefault(key) + delta;
        if (count <= 0)
        {
            emailCounts.Remove(key);
        }
        else
        {
            emailCounts[key] = count;
        }
    }

    internal UserRecord RecordFromJson(JsonObject json, string id, bool filter)
    {
        var username = SimJson.Str(json, "username")
            ?? throw new ArgumentException("A user needs a username.", nameof(json));
        var record = new UserRecord
        {
            Id = id,
            Username = username.ToLowerInvariant(),
            Email = SimJson.Str(json, "email")?.ToLowerInvariant(),
            FirstName = SimJson.Str(json, "firstName"),
            LastName = SimJson.Str(json, "lastName"),
            Enabled = SimJson.Bool(json, "enabled") ?? true,
            EmailVerified = SimJson.Bool(json, "emailVerified") ?? false,
            Totp = SimJson.Bool(json, "totp") ?? false,
            CreatedTimestamp = SimJson.Long(json, "createdTimestamp") ?? Time.GetUtcNow().ToUnixTimeMilliseconds(),
            NotBefore = (int)(SimJson.Long(json, "notBefore") ?? 0),
            FederationLink = SimJson.Str(json, "federationLink"),
            ServiceAccountClientId = SimJson.Str(json, "serviceAccountClientId"),
        };
        if (SimJson.StringList(json["requiredActions"]) is { } actions)
        {
            foreach (var action in actions.Distinct(StringComparer.Ordinal))
            {
                if (!filter || IsRegisteredActionUnlocked(action))
                {
                    record.RequiredActions.Add(action);
                }
            }
        }

        if (SimJson.MultiMap(json["attributes"]) is { } attributes)
        {
            foreach (var (key, values) in attributes)
            {
                if (!RootAttributes.Contains(key) && (!filter || IsAdminWritableUnlocked(key)))
                {
                    record.Attributes[key] = values;
                }
            }
        }

        if (SimJson.StringList(json["realmRoles"]) is { } roles)
        {
            record.RealmRoles.AddRange(roles);
        }

        if (json["federatedIdentities"] is JsonArray links)
        {
            record.FederatedIdentities.AddRange(links.OfType<JsonObject>().Select(SimJson.Clone));
        }

        string[] modelled = ["id", "username", "email", "firstName", "lastName", "enabled", "emailVerified", "totp", "createdTimestamp",
            "notBefore", "federationLink", "serviceAccountClientId", "requiredActions", "attributes", "realmRoles", "federatedIdentities",
            "access", "self", "origin", "disableableCredentialTypes", "clientRoles", "userProfileMetadata"];
        foreach (var (key, value) in json)
        {
            if (!modelled.Contains(key) && !string.Equals(key, "credentials", StringComparison.Ordinal))
            {
                record.Extra[key] = value?.DeepClone();
            }
        }

        return record;
    }

    // ---------------------------------------------------------------- profile-dependent rules

    internal bool IsRegisteredActionUnlocked(string alias) =>
        RequiredActionsState.Any(a => SimJson.Str(a, "alias") == alias);

    internal bool IsTermsEnabledUnlocked() =>
        RequiredActionsState.Any(a => SimJson.Str(a, "alias") == TermsAction && SimJson.Bool(a, "enabled") == true);

    internal string? UnmanagedPolicyUnlocked() => SimJson.Str(UserProfileState, "unmanagedAttributePolicy");

    /// <summary>
    /// Whether an admin reading through the Admin API sees the attribute: declared in the user profile, or unmanaged
    /// with a policy that lets admins view it, or <c>terms_and_conditions</c> while the terms action is enabled
    /// (DeclarativeUserProfileProviderFactory.createUserResourceValidation).
    /// </summary>
    internal bool IsAdminReadableUnlocked(string name)
    {
        if (name == TermsAttribute)
        {
            return IsTermsEnabledUnlocked();
        }

        return managedAttributes.Contains(name) || UnmanagedPolicyUnlocked() is "ENABLED" or "ADMIN_VIEW" or "ADMIN_EDIT";
    }

    /// <summary>Whether an admin write of the attribute is applied; <c>terms_and_conditions</c> never is.</summary>
    internal bool IsAdminWritableUnlocked(string name)
    {
        if (name == TermsAttribute)
        {
            return false;
        }

        return managedAttributes.Contains(name) || UnmanagedPolicyUnlocked() is "ENABLED" or "ADMIN_EDIT";
    }

    internal void SetUserProfileUnlocked(JsonObject config)
    {
        UserProfileState = config;
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (config["attributes"] is JsonArray attributes)
        {
            foreach (var attribute in attributes.OfType<JsonObject>())
            {
                if (SimJson.Str(attribute, "name") is { } name)
                {
                    names.Add(name);
                }
            }
        }

        managedAttributes = names;
    }

    // ---------------------------------------------------------------- realm state accessors

    /// <summary>A copy of the realm representation as <c>GET /admin/realms/{realm}</c> returns it.</summary>
    public JsonObject GetRepresentation()
    {
        lock (Sync)
        {
            return RepresentationUnlocked();
        }
    }

    internal JsonObject RepresentationUnlocked()
    {
        var rep = new JsonObject { ["id"] = Id, ["realm"] = Name };
        foreach (var (key, value) in Settings)
        {
            // ModelToRepresentation sets supportedLocales only when there are some.
            if (key != "supportedLocales" || value is not JsonArray { Count: 0 })
            {
                rep[key] = value?.DeepClone();
            }
        }

        return rep;
    }

    /// <summary>Sets one realm setting (a RealmRepresentation field) directly, e.g. to arrange drift.</summary>
    public void SetSetting(string name, JsonNode? value)
    {
        lock (Sync)
        {
            Settings[name] = value?.DeepClone();
        }
    }

    /// <summary>One realm setting (a copy), or null.</summary>
    public JsonNode? GetSetting(string name)
    {
        lock (Sync)
        {
            return Settings[name]?.DeepClone();
        }
    }

    /// <summary>Copies of the registered required actions, ordered as Keycloak lists them (priority, then name).</summary>
    public IReadOnlyList<JsonObject> GetRequiredActions()
    {
        lock (Sync)
        {
            return SortedRequiredActionsUnlocked().Select(SimJson.Clone).ToArray();
        }
    }

    /// <summary>A copy of one registered required action, or null.</summary>
    public JsonObject? GetRequiredAction(string alias)
    {
        lock (Sync)
        {
            return RequiredActionsState.FirstOrDefault(a => SimJson.Str(a, "alias") == alias) is { } found ? SimJson.Clone(found) : null;
        }
    }

    /// <summary>Unregisters a required action directly, as <c>DELETE .../required-actions/{alias}</c> does (its provider stays installed).</summary>
    public void RemoveRequiredAction(string alias)
    {
        lock (Sync)
        {
            RequiredActionsState.RemoveAll(a => SimJson.Str(a, "alias") == alias);
        }
    }

    /// <summary>Changes flags of a registered required action directly (null = unchanged).</summary>
    public void ConfigureRequiredAction(string alias, bool? enabled = null, bool? defaultAction = null, int? priority = null)
    {
        lock (Sync)
        {
            var action = RequiredActionsState.FirstOrDefault(a => SimJson.Str(a, "alias") == alias)
                ?? throw new KeyNotFoundException($"Required action '{alias}' is not registered in '{Name}'.");
            if (enabled is { } e)
            {
                action["enabled"] = e;
            }

            if (defaultAction is { } d)
            {
                action["defaultAction"] = d;
            }

            if (priority is { } p)
            {
                action["priority"] = p;
            }
        }
    }

    internal IEnumerable<JsonObject> SortedRequiredActionsUnlocked() =>
        RequiredActionsState
            .OrderBy(a => SimJson.Long(a, "priority") ?? 0)
            .ThenBy(a => SimJson.Str(a, "name"), StringComparer.Ordinal);

    /// <summary>A copy of the stored user profile (UPConfig).</summary>
    public JsonObject GetUserProfile()
    {
        lock (Sync)
        {
            return SimJson.Clone(UserProfileState);
        }
    }

    /// <summary>Replaces the user profile directly, without validation or normalisation.</summary>
    public void SetUserProfile(JsonObject config)
    {
        lock (Sync)
        {
            SetUserProfileUnlocked(SimJson.Clone(config));
        }
    }

    /// <summary>Copies of the identity providers as stored (secrets unmasked).</summary>
    public IReadOnlyList<JsonObject> GetIdentityProviders()
    {
        lock (Sync)
        {
            return IdentityProviders.Select(SimJson.Clone).ToArray();
        }
    }

    /// <summary>Stores an identity provider directly (IdentityProviderRepresentation; defaults filled in). Replaces one with the same alias.</summary>
    public void PutIdentityProvider(JsonObject identityProvider)
    {
        lock (Sync)
        {
            var rep = RealmDefaults.NewIdentityProvider(identityProvider);
            IdentityProviders.RemoveAll(i => SimJson.Str(i, "alias") == SimJson.Str(rep, "alias"));
            IdentityProviders.Add(rep);
        }
    }

    /// <summary>Copies of the identity provider mappers, optionally of one IdP.</summary>
    public IReadOnlyList<JsonObject> GetIdentityProviderMappers(string? alias = null)
    {
        lock (Sync)
        {
            return IdentityProviderMappers.Where(m => alias is null || SimJson.Str(m, "identityProviderAlias") == alias).Select(SimJson.Clone).ToArray();
        }
    }

    /// <summary>Stores an identity provider mapper directly; returns its id.</summary>
    public string AddIdentityProviderMapper(JsonObject mapper)
    {
        lock (Sync)
        {
            var copy = SimJson.Clone(mapper);
            var id = SimJson.Str(copy, "id") ?? NewId();
            copy["id"] = id;
            IdentityProviderMappers.Add(copy);
            return id;
        }
    }

    /// <summary>Copies of the clients (ClientRepresentation).</summary>
    public IReadOnlyList<JsonObject> GetClients()
    {
        lock (Sync)
        {
            return Clients.Select(SimJson.Clone).ToArray();
        }
    }

    /// <summary>
    /// Creates a client as <c>POST /clients</c> would (defaults filled in; a service account user when
    /// <c>serviceAccountsEnabled</c>). Returns its uuid.
    /// </summary>
    public string AddClient(JsonObject client)
    {
        lock (Sync)
        {
            return AddClientUnlocked(SimJson.Clone(client));
        }
    }

    /// <summary>Gives a user client roles, e.g. realm-management's <c>view-users</c>.</summary>
    public void GrantClientRoles(string userId, string clientId, params string[] roleNames)
    {
        lock (Sync)
        {
            var user = UserUnlocked(userId);
            var client = Clients.FirstOrDefault(c => SimJson.Str(c, "clientId") == clientId)
                ?? throw new KeyNotFoundException($"No client '{clientId}' in '{Name}'.");
            var uuid = SimJson.Str(client, "id")!;
            foreach (var role in roleNames)
            {
                if (!ClientRoles.TryGetValue(uuid, out var roles) || roles.All(r => SimJson.Str(r, "name") != role))
                {
                    throw new KeyNotFoundException($"Client '{clientId}' has no role '{role}'.");
                }

                var list = user.ClientRoles.TryGetValue(uuid, out var held) ? held : user.ClientRoles[uuid] = [];
                if (!list.Contains(role))
                {
                    list.Add(role);
                }
            }
        }
    }

    /// <summary>The realm's localization texts of one locale (a copy; empty when none).</summary>
    public IReadOnlyDictionary<string, string> GetLocalization(string locale)
    {
        lock (Sync)
        {
            return Localization.TryGetValue(locale, out var texts) ? new Dictionary<string, string>(texts) : new Dictionary<string, string>();
        }
    }

    /// <summary>Sets one realm localization text directly.</summary>
    public void SetLocalization(string locale, string key, string text)
    {
        lock (Sync)
        {
            if (!Localization.TryGetValue(locale, out var texts))
            {
                Localization[locale] = texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
            }

            texts[key] = text;
        }
    }

    internal string AddClientUnlocked(JsonObject client)
    {
        var rep = RealmDefaults.NewClient(client, Time.GetUtcNow().ToUnixTimeSeconds());
        var uuid = SimJson.Str(rep, "id")!;
        Clients.Add(rep);
        var roles = new List<JsonObject>();
        if (client["roles"] is JsonArray roleArray)
        {
            foreach (var role in roleArray.OfType<JsonObject>())
            {
                roles.Add(RealmDefaults.NewClientRole(SimJson.Str(role, "name") ?? "role", uuid, SimJson.Str(role, "description"), SimJson.Bool(role, "composite") ?? false));
            }
        }

        ClientRoles[uuid] = roles;
        if (SimJson.Bool(rep, "serviceAccountsEnabled") == true)
        {
            var clientId = SimJson.Str(rep, "clientId")!;
            var username = ("service-account-" + clientId).ToLowerInvariant();
            if (FindByUsernameUnlocked(username) is null)
            {
                var user = new UserRecord
                {
                    Id = NewId(),
                    Username = username,
                    ServiceAccountClientId = clientId,
                    CreatedTimestamp = Time.GetUtcNow().ToUnixTimeMilliseconds(),
                };
                InsertUnlocked(user);
            }
        }

        return uuid;
    }

    internal JsonObject? ClientByUuidUnlocked(string uuid) => Clients.FirstOrDefault(c => SimJson.Str(c, "id") == uuid);

    internal JsonObject? ClientByClientIdUnlocked(string clientId) => Clients.FirstOrDefault(c => SimJson.Str(c, "clientId") == clientId);

    internal UserRecord? ServiceAccountUnlocked(string clientId) => FindByUsernameUnlocked("service-account-" + clientId);

    internal static string NewId() => Guid.NewGuid().ToString();

    internal static string DeterministicId(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
