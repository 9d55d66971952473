using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    private SimResponse? Users(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        switch (rest.Length)
        {
            case 1:
                return request.Method switch
                {
                    "GET" => ListUsers(request, realm, caller),
                    "POST" => CreateUser(request, realm, caller),
                    _ => MethodNotAllowed(request),
                };
            case 2 when rest[1] == "count":
                Require(caller, "view-users");
                return request.Method == "GET" ? SimResponse.Json(JsonValue.Create(CountUsers(request, realm))) : MethodNotAllowed(request);
            case 2 when rest[1] == "profile":
                return UserProfile(request, realm, caller);
            case 2:
                return request.Method switch
                {
                    "GET" => GetUser(realm, caller, rest[1]),
                    "PUT" => UpdateUser(request, realm, caller, rest[1]),
                    "DELETE" => DeleteUser(realm, caller, rest[1]),
                    _ => MethodNotAllowed(request),
                };
            case 3 when rest[2] == "federated-identity" && request.Method == "GET":
                Require(caller, "view-users");
                return SimResponse.Json(new JsonArray(ExistingUser(realm, rest[1]).FederatedIdentities.Select(f => (JsonNode?)f.DeepClone()).ToArray()));
            case 5 when rest[2] == "role-mappings" && rest[3] == "clients":
                return ClientRoleMappings(request, realm, caller, rest[1], rest[4]);
            default:
                return null;
        }
    }

    private static UserRecord ExistingUser(SimulatedRealm realm, string id) =>
        realm.FindUnlocked(id) ?? throw new SimHttpException(SimResponse.Error(404, "error", "User not found"));

    // ---------------------------------------------------------------- list, count

    /// <summary>The list without any filter: everyone but service accounts (the one filter paged from a cursor).</summary>
    private static readonly Func<UserRecord, bool> EveryoneButServiceAccounts = user => user.ServiceAccountClientId is null;

    /// <summary>
    /// UsersResource.getUsers + JpaUserProvider.searchForUserStream: <c>search</c> (per whitespace-separated token:
    /// <c>"exact"</c>, or a case-insensitive LIKE on username/email/first/last where <c>*</c> is a wildcard and a
    /// trailing wildcard is implied, i.e. prefix search; service accounts excluded), else field filters
    /// (substring, or equality with <c>exact=true</c>), <c>q</c> (attribute name:value, value compared ignoring
    /// case), <c>enabled</c>, <c>emailVerified</c> (service accounts included), else everyone but service accounts.
    /// Ordered by username; offset paging.
    /// </summary>
    private static Func<UserRecord, bool> UserFilter(SimRequest request)
    {
        var search = request.Q("search");
        var enabled = request.QBool("enabled");
        if (search is not null)
        {
            search = search.Trim();
            if (search.StartsWith("id:", StringComparison.Ordinal))
            {
                var id = search[3..].Trim();
                return u => u.Id == id;
            }

            var tokens = search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(SearchToken).ToArray();
            return u => u.ServiceAccountClientId is null
                && (enabled is null || u.Enabled == enabled)
                && tokens.All(t => t(u.Username) || t(u.Email) || t(u.FirstName?.ToLowerInvariant()) || t(u.LastName?.ToLowerInvariant()));
        }

        var username = request.Q("username");
        var email = request.Q("email");
        var firstName = request.Q("firstName");
        var lastName = request.Q("lastName");
        var emailVerified = request.QBool("emailVerified");
        var exact = request.QBool("exact") == true;
        var idpAlias = request.Q("idpAlias");
        var idpUserId = request.Q("idpUserId");
        var q = ParseSearchQuery(request.Q("q"));
        var anyField = username is not null || email is not null || firstName is not null || lastName is not null || emailVerified is not null
            || enabled is not null || request.Q("exact") is not null || idpAlias is not null || idpUserId is not null || q.Count > 0;
        if (!anyField)
        {
            return EveryoneButServiceAccounts;
        }

        bool Field(string? value, string? filter) =>
            filter is null || (value is not null && (exact
                ? string.Equals(value, filter, StringComparison.OrdinalIgnoreCase)
                : value.Contains(filter, StringComparison.OrdinalIgnoreCase)));

        return u => Field(u.Username, username) && Field(u.Email, email) && Field(u.FirstName, firstName) && Field(u.LastName, lastName)
            && (emailVerified is null || u.EmailVerified == emailVerified)
            && (enabled is null || u.Enabled == enabled)
            && (idpAlias is null || u.FederatedIdentities.Any(f => SimJson.Str(f, "identityProvider") == idpAlias
                && (idpUserId is null || SimJson.Str(f, "userId") == idpUserId)))
            && q.All(pair => u.Attributes.TryGetValue(pair.Key, out var values)
                && values.Any(v => string.Equals(v, pair.Value, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>One search token as JpaUserProvider.getSearchOptionPredicateArray matches it (values already lower case).</summary>
    private static Func<string?, bool> SearchToken(string token)
    {
        var value = token.ToLowerInvariant();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var exactValue = value[1..^1];
            return field => field == exactValue;
        }

        var pattern = value.Replace("*", "%", StringComparison.Ordinal);
        if (pattern.Length == 0 || pattern[^1] != '%')
        {
            pattern += "%";
        }

        var parts = pattern.Split('%');
        return field => field is not null && Like(field, parts);
    }

    /// <summary>SQL LIKE with only <c>%</c> wildcards, already split at them.</summary>
    private static bool Like(string text, string[] parts)
    {
        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            if (i == parts.Length - 1)
            {
                return parts[i].Length == 0 || (text.Length - parts[i].Length >= position && text.EndsWith(parts[i], StringComparison.Ordinal));
            }

            var found = text.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return position == text.Length;
    }

    /// <summary><c>q=key:value key2:"value with spaces"</c> (SearchQueryUtils).</summary>
    private static List<KeyValuePair<string, string>> ParseSearchQuery(string? q)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(q))
        {
            return result;
        }

        var matches = System.Text.RegularExpressions.Regex.Matches(q, "(?:\"([^\"]*)\"|([^ :]+)):(?:\"([^\"]*)\"|([^ ]*))");
        foreach (System.Text.RegularExpressions.Match match in matches)
        {
            var key = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            var value = match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Value;
            result.Add(new(key, value));
        }

        return result;
    }

    private SimResponse ListUsers(SimRequest request, SimulatedRealm realm, Caller caller)
    {
        Require(caller, "view-users");
        var filter = UserFilter(request);
        var first = Math.Max(0, request.QInt("first") ?? 0);
        var max = request.QInt("max") ?? 100;
        var brief = request.QBool("briefRepresentation") == true;
        var older = Options.KeycloakVersion == SimulatorOptions.Keycloak26_4;
        var result = new JsonArray();
        var users = realm.SortedUsers;

        // Without a filter the page starts at the offset found from the last page's end; with one, by counting.
        var unfiltered = ReferenceEquals(filter, EveryoneButServiceAccounts);
        var start = unfiltered ? realm.UnfilteredOffsetUnlocked(first) : 0;
        var skipped = unfiltered ? first : 0;
        for (var index = start; index < users.Count; index++)
        {
            var user = users[index];
            if (max >= 0 && result.Count >= max)
            {
                break;
            }

            if (!filter(user))
            {
                continue;
            }

            if (skipped < first)
            {
                skipped++;
                continue;
            }

            if (older)
            {
                // 26.4: a brief item is the full one but for its attributes; every item carries the profile's metadata.
                var item = UserRepresentation(realm, user, brief: false, caller);
                if (brief)
                {
                    item.Remove("attributes");
                }

                item["userProfileMetadata"] = UserProfileMetadata(realm);
                result.Add(item);
            }
            else
            {
                result.Add(UserRepresentation(realm, user, brief, caller));
            }
        }

        return SimResponse.Json(result);
    }

    private static int CountUsers(SimRequest request, SimulatedRealm realm)
    {
        var filter = UserFilter(request);
        var count = 0;
        foreach (var user in realm.SortedUsers)
        {
            if (filter(user))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The user profile as an administrator's form sees it (<c>UserProfileMetadata</c>), which 26.4 list items carry:
    /// each attribute's name, display name, whether an admin must fill it or may not edit it, its validators and group.
    /// </summary>
    private static JsonObject UserProfileMetadata(SimulatedRealm realm)
    {
        var profile = realm.UserProfileState;
        var attributes = new JsonArray();
        foreach (var attribute in (profile["attributes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var required = attribute["required"] as JsonObject;
            var requiredRoles = (required?["roles"] as JsonArray)?.Select(role => role?.GetValue<string>()).ToList();
            var editors = (attribute["permissions"]?["edit"] as JsonArray)?.Select(role => role?.GetValue<string>()).ToList() ?? [];
            var metadata = new JsonObject
            {
                ["name"] = attribute["name"]?.DeepClone(),
                ["displayName"] = attribute["displayName"]?.DeepClone() ?? attribute["name"]?.DeepClone(),
                ["required"] = required is not null && (requiredRoles is null || requiredRoles.Contains("admin")),
                ["readOnly"] = !editors.Contains("admin"),
                ["validators"] = attribute["validations"]?.DeepClone() ?? new JsonObject(),
                ["multivalued"] = attribute["multivalued"]?.GetValue<bool>() ?? false,
            };
            if (attribute["annotations"] is JsonObject annotations)
            {
                metadata["annotations"] = annotations.DeepClone();
            }

            if (attribute["group"] is { } group)
            {
                metadata["group"] = group.DeepClone();
            }

            attributes.Add(metadata);
        }

        var groups = new JsonArray((profile["groups"] as JsonArray ?? []).OfType<JsonObject>().Select(group => (JsonNode)group.DeepClone()).ToArray());
        return new JsonObject { ["attributes"] = attributes, ["groups"] = groups };
    }

    /// <summary>ModelToRepresentation.toRepresentation / toBriefRepresentation plus the caller's access.</summary>
    internal static JsonObject UserRepresentation(SimulatedRealm realm, UserRecord user, bool brief, Caller? caller, bool single = false)
    {
        var rep = new JsonObject
        {
            ["id"] = user.Id,
            ["username"] = user.Username,
            ["firstName"] = user.FirstName,
            ["lastName"] = user.LastName,
            ["email"] = user.Email,
            ["emailVerified"] = user.EmailVerified,
        };
        if (!brief)
        {
            var readable = user.Attributes.Keys.Where(realm.IsAdminReadableUnlocked).ToArray();
            if (readable.Length > 0)
            {
                rep["attributes"] = user.AttributesJson(readable);
            }
        }

        rep["createdTimestamp"] = user.CreatedTimestamp;
        rep["enabled"] = user.Enabled;
        if (!brief)
        {
            rep["totp"] = user.Totp;
        }

        rep["federationLink"] = user.FederationLink;
        if (user.ServiceAccountClientId is { } clientId)
        {
            rep["serviceAccountClientId"] = SimJson.Str(realm.ClientByClientIdUnlocked(clientId) ?? [], "id");
        }

        if (!brief)
        {
            rep["disableableCredentialTypes"] = new JsonArray();
            rep["requiredActions"] = SimJson.ToArray(JavaHashSetOrder(user.RequiredActions));
            rep["notBefore"] = user.NotBefore;
        }

        if (caller is not null)
        {
            // 26.7.3: list items carry only "manage"; GET /users/{id} the whole map.
            var manage = caller.Has("manage-users");
            rep["access"] = !single
                ? new JsonObject { ["manage"] = manage }
                : new JsonObject
                {
                    ["manageGroupMembership"] = manage,
                    ["resetPassword"] = manage,
                    ["view"] = true,
                    ["mapRoles"] = manage,
                    ["impersonate"] = caller.Has("impersonation"),
                    ["manage"] = manage,
                };
        }

        return rep;
    }

    /// <summary>
    /// The order a <c>java.util.HashSet</c> of these strings iterates in, which is the order the server lists a user's
    /// required actions in: by bucket (String.hashCode spread as HashMap does, table of 16 grown at a load of 0.75), and
    /// within a bucket in insertion order.
    /// </summary>
    internal static IEnumerable<string> JavaHashSetOrder(IReadOnlyCollection<string> values)
    {
        var buckets = 16;
        while (values.Count > buckets * 3 / 4)
        {
            buckets *= 2;
        }

        return values.Select((value, index) => (value, index))
            .OrderBy(item => Bucket(item.value, buckets)).ThenBy(item => item.index).Select(item => item.value);

        static int Bucket(string value, int buckets)
        {
            var hash = 0;
            foreach (var character in value)
            {
                hash = unchecked((31 * hash) + character);
            }

            return (hash ^ (int)((uint)hash >> 16)) & (buckets - 1);
        }
    }

    // ---------------------------------------------------------------- single user

    private SimResponse GetUser(SimulatedRealm realm, Caller caller, string id)
    {
        Require(caller, "view-users");
        var user = ExistingUser(realm, id);
        if (Faults.IsRejected(realm.Name, id, out var status, out var message))
        {
            return SimResponse.Error(status, "errorMessage", message);
        }

        return SimResponse.Json(UserRepresentation(realm, user, brief: false, caller, single: true));
    }

    private SimResponse DeleteUser(SimulatedRealm realm, Caller caller, string id)
    {
        Require(caller, "manage-users");
        realm.RemoveUnlocked(ExistingUser(realm, id));
        return SimResponse.NoContent();
    }

    /// <summary>UsersResource.createUser: 409 on username/email, defaults from JpaUserProvider.addUser, then updateUserFromRep.</summary>
    private SimResponse CreateUser(SimRequest request, SimulatedRealm realm, Caller caller)
    {
        Require(caller, "manage-users");
        var body = request.JsonObjectBody();
        var username = SimJson.Bool(realm.Settings, "registrationEmailAsUsername") == true ? SimJson.Str(body, "email") : SimJson.Str(body, "username");
        if (string.IsNullOrWhiteSpace(username))
        {
            return SimResponse.BadRequest("User name is missing");
        }

        // The email is checked first (26.7.3 answers "same email" for a body whose username and email are both taken).
        username = username.ToLowerInvariant();
        var email = SimJson.Str(body, "email");
        if (email is not null && SimJson.Bool(realm.Settings, "duplicateEmailsAllowed") != true && realm.EmailTakenUnlocked(email, null))
        {
            return SimResponse.Conflict("User exists with same email");
        }

        if (realm.FindByUsernameUnlocked(username) is not null)
        {
            return SimResponse.Conflict("User exists with same username");
        }

        if (UserProfileValidation.Validate(realm.UserProfileState, ValuesAfterUpdate(new UserRecord { Id = "", Username = username }, body)) is { } refused)
        {
            return SimResponse.Json(refused, 400);
        }

        var user = new UserRecord
        {
            Id = SimulatedRealm.NewId(),
            Username = username,
            CreatedTimestamp = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            Enabled = false,
        };
        user.RequiredActions.AddRange(realm.DefaultActionsUnlocked());
        realm.InsertUnlocked(user);
        ApplyUserRepresentation(realm, user, body, isNew: true);
        return SimResponse.Created(Url + "/admin/realms/" + Uri.EscapeDataString(realm.Name) + "/users/" + user.Id);
    }

    /// <summary>
    /// UserResource.updateUser (docs/keycloak-facts.md): without <c>attributes</c> every attribute and absent root field is
    /// kept; with <c>attributes</c> the set is replaced and absent root attributes cleared; <c>requiredActions</c>
    /// replaces the set, unknown ids dropped; <c>terms_and_conditions</c> never written; enabled/emailVerified only
    /// when present.
    /// </summary>
    private SimResponse UpdateUser(SimRequest request, SimulatedRealm realm, Caller caller, string id)
    {
        Require(caller, "manage-users");
        var user = ExistingUser(realm, id);
        var body = request.JsonObjectBody();
        if (Faults.IsRejected(realm.Name, id, out var status, out var message))
        {
            return SimResponse.Error(status, "errorMessage", message);
        }

        if (SimJson.Str(body, "username") is { } newUsername && !string.Equals(newUsername, user.Username, StringComparison.OrdinalIgnoreCase))
        {
            if (SimJson.Bool(realm.Settings, "editUsernameAllowed") != true || SimJson.Bool(realm.Settings, "registrationEmailAsUsername") == true)
            {
                return SimResponse.Json(new JsonObject
                {
                    ["field"] = "username",
                    ["errorMessage"] = "error-user-attribute-read-only",
                    ["params"] = new JsonArray("username"),
                }, 400);
            }

            if (realm.FindByUsernameUnlocked(newUsername) is not null)
            {
                return SimResponse.Conflict("User exists with same username");
            }
        }

        if (SimJson.Str(body, "email") is { } email && SimJson.Bool(realm.Settings, "duplicateEmailsAllowed") != true
            && realm.EmailTakenUnlocked(email, user))
        {
            return SimResponse.Conflict("User exists with same email");
        }

        // After the conflicts, as the server orders them; the stored values are validated too (docs/keycloak-facts.md).
        if (UserProfileValidation.Validate(realm.UserProfileState, ValuesAfterUpdate(user, body)) is { } refused)
        {
            return SimResponse.Json(refused, 400);
        }

        ApplyUserRepresentation(realm, user, body, isNew: false);
        return SimResponse.NoContent();
    }

    /// <summary>The root attributes the user would have after the update, as <see cref="ApplyUserRepresentation"/> would leave them.</summary>
    private static Dictionary<string, string?> ValuesAfterUpdate(UserRecord user, JsonObject body)
    {
        var hasAttributes = body["attributes"] is JsonObject;
        string? After(string name, string? stored) => body.ContainsKey(name) || hasAttributes ? SimJson.Str(body, name) : stored;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["email"] = After("email", user.Email)?.ToLowerInvariant(),
            ["firstName"] = After("firstName", user.FirstName),
            ["lastName"] = After("lastName", user.LastName),
        };
    }

    private static void ApplyUserRepresentation(SimulatedRealm realm, UserRecord user, JsonObject body, bool isNew)
    {
        var hasAttributes = body["attributes"] is JsonObject;
        if (SimJson.Str(body, "username") is { } username && !isNew)
        {
            realm.RenameUnlocked(user, username.ToLowerInvariant());
        }

        // Root attributes: present → applied; absent → kept, unless the body carries "attributes" (then cleared).
        if (body.ContainsKey("email") || hasAttributes)
        {
            realm.SetEmailUnlocked(user, SimJson.Str(body, "email")?.ToLowerInvariant());
        }

        if (body.ContainsKey("firstName") || hasAttributes)
        {
            user.FirstName = SimJson.Str(body, "firstName");
        }

        if (body.ContainsKey("lastName") || hasAttributes)
        {
            user.LastName = SimJson.Str(body, "lastName");
        }

        if (hasAttributes)
        {
            var sent = SimJson.MultiMap(body["attributes"])!;
            foreach (var name in user.Attributes.Keys.ToArray())
            {
                // Attributes the admin may not write (terms, unmanaged when the policy forbids) survive the replace.
                if (realm.IsAdminWritableUnlocked(name) && !sent.ContainsKey(name))
                {
                    user.Attributes.Remove(name);
                }
            }

            foreach (var (name, values) in sent)
            {
                if (name is "username" or "email" or "firstName" or "lastName" || !realm.IsAdminWritableUnlocked(name))
                {
                    continue;
                }

                var cleaned = values.Where(v => !string.IsNullOrEmpty(v)).ToList();
                if (cleaned.Count == 0)
                {
                    user.Attributes.Remove(name);
                }
                else
                {
                    user.Attributes[name] = cleaned;
                }
            }
        }

        if (SimJson.Bool(body, "enabled") is { } enabled)
        {
            user.Enabled = enabled;
        }

        if (SimJson.Bool(body, "emailVerified") is { } emailVerified)
        {
            user.EmailVerified = emailVerified;
        }

        if (SimJson.StringList(body["requiredActions"]) is { } actions)
        {
            var allowed = actions.Where(realm.IsRegisteredActionUnlocked).Distinct(StringComparer.Ordinal).ToList();
            user.RequiredActions.RemoveAll(a => !allowed.Contains(a));
            foreach (var action in allowed)
            {
                if (!user.RequiredActions.Contains(action))
                {
                    user.RequiredActions.Add(action);
                }
            }
        }

        if (isNew && body["federatedIdentities"] is JsonArray links)
        {
            user.FederatedIdentities.AddRange(links.OfType<JsonObject>().Select(SimJson.Clone));
        }
    }

    // ---------------------------------------------------------------- role mappings

    private SimResponse ClientRoleMappings(SimRequest request, SimulatedRealm realm, Caller caller, string userId, string clientUuid)
    {
        var user = ExistingUser(realm, userId);
        if (realm.ClientByUuidUnlocked(clientUuid) is null)
        {
            return SimResponse.Error(404, "error", "Client not found");
        }

        var roles = realm.ClientRoles.GetValueOrDefault(clientUuid) ?? [];
        var held = user.ClientRoles.TryGetValue(clientUuid, out var list) ? list : user.ClientRoles[clientUuid] = [];
        switch (request.Method)
        {
            case "GET":
                Require(caller, "view-users");
                return SimResponse.Json(new JsonArray(roles.Where(r => held.Contains(SimJson.Str(r, "name")!)).Select(r => (JsonNode?)r.DeepClone()).ToArray()));
            case "POST":
            case "DELETE":
                Require(caller, "manage-users");
                var body = request.JsonBody() as JsonArray ?? [];
                var resolved = new List<string>();
                foreach (var item in body.OfType<JsonObject>())
                {
                    // ClientRoleMappingsResource: the role found by name must also carry the id sent.
                    var match = roles.FirstOrDefault(r => SimJson.Str(r, "name") == SimJson.Str(item, "name")
                        && SimJson.Str(item, "id") is { } roleId && roleId == SimJson.Str(r, "id"));
                    if (match is null)
                    {
                        return SimResponse.Error(404, "error", "Role not found");
                    }

                    resolved.Add(SimJson.Str(match, "name")!);
                }

                if (request.Method == "POST")
                {
                    held.AddRange(resolved.Where(r => !held.Contains(r)));
                }
                else
                {
                    held.RemoveAll(resolved.Contains);
                }

                return SimResponse.NoContent();
            default:
                return MethodNotAllowed(request);
        }
    }
}
