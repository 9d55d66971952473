using System.Globalization;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class SimulatedRealm
{
    private const string DefaultRedirectUri = "http://localhost/app/";

    /// <summary>
    /// Records a user event as Keycloak's EventBuilder would: stored only while <c>eventsEnabled</c> and
    /// <c>enabledEventTypes</c> is empty or lists <paramref name="type"/>. Returns the stored event (a copy) or null.
    /// </summary>
    public JsonObject? AddEvent(
        string type,
        string? userId = null,
        string? clientId = null,
        string? ipAddress = "127.0.0.1",
        string? sessionId = null,
        string? error = null,
        IReadOnlyDictionary<string, string>? details = null,
        DateTimeOffset? time = null)
    {
        lock (Sync)
        {
            var stored = AddEventUnlocked(type, userId, clientId, ipAddress, sessionId, error, details, time, force: false);
            return stored is null ? null : SimJson.Clone(stored);
        }
    }

    /// <summary>
    /// Appends many events at once, bypassing the events configuration (for ingestion tests). Each item is an
    /// EventRepresentation-like object; missing <c>id</c>, <c>time</c> and <c>realmId</c> are filled in.
    /// </summary>
    public void AddEventsUnchecked(IEnumerable<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (Sync)
        {
            foreach (var item in events)
            {
                var copy = SimJson.Clone(item);
                copy["id"] ??= NewId();
                copy["time"] ??= Time.GetUtcNow().ToUnixTimeMilliseconds();
                copy["realmId"] ??= Id;
                InsertEventUnlocked(copy);
            }
        }
    }

    /// <summary>Copies of every stored (unexpired) event, oldest first.</summary>
    public IReadOnlyList<JsonObject> GetEvents()
    {
        lock (Sync)
        {
            return LiveEventsUnlocked().Select(SimJson.Clone).ToArray();
        }
    }

    /// <summary>Deletes every stored event (<c>DELETE /admin/realms/{realm}/events</c>).</summary>
    public void ClearEvents()
    {
        lock (Sync)
        {
            _events.Clear();
        }
    }

    /// <summary>
    /// The user accepts the terms at login (TermsAndConditions.processAction without <c>cancel</c>): sets
    /// <c>terms_and_conditions</c> to now in epoch seconds, removes the action, then emits
    /// <c>CUSTOM_REQUIRED_ACTION</c> and a separate <c>LOGIN</c> (LoginActionsService.processRequireAction).
    /// </summary>
    public void AcceptTerms(string userId, string clientId = "account", string ipAddress = "127.0.0.1")
    {
        lock (Sync)
        {
            var user = UserUnlocked(userId);
            var now = Time.GetUtcNow();
            user.Attributes[TermsAttribute] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
            user.RequiredActions.Remove(TermsAction);
            var sessionId = NewId();
            var codeId = sessionId;
            AddEventUnlocked("CUSTOM_REQUIRED_ACTION", user.Id, clientId, ipAddress, sessionId, null, new Dictionary<string, string>
            {
                ["auth_method"] = "openid-connect",
                ["custom_required_action"] = TermsAction,
                ["redirect_uri"] = DefaultRedirectUri,
                ["code_id"] = codeId,
                ["username"] = user.Username,
            }, now, force: false);
            AddEventUnlocked("LOGIN", user.Id, clientId, ipAddress, sessionId, null, new Dictionary<string, string>
            {
                ["auth_method"] = "openid-connect",
                ["auth_type"] = "code",
                ["redirect_uri"] = DefaultRedirectUri,
                ["consent"] = "no_consent_required",
                ["code_id"] = codeId,
                ["username"] = user.Username,
            }, now, force: false);
        }
    }

    /// <summary>
    /// The user declines the terms (a POST with <c>cancel</c>): deletes <c>terms_and_conditions</c>, keeps the action,
    /// emits <c>CUSTOM_REQUIRED_ACTION_ERROR</c> with <c>error=rejected_by_user</c> and no session id.
    /// </summary>
    public void DeclineTerms(string userId, string clientId = "account", string ipAddress = "127.0.0.1")
    {
        lock (Sync)
        {
            var user = UserUnlocked(userId);
            user.Attributes.Remove(TermsAttribute);
            if (!user.RequiredActions.Contains(TermsAction))
            {
                user.RequiredActions.Add(TermsAction);
            }

            AddEventUnlocked("CUSTOM_REQUIRED_ACTION_ERROR", user.Id, clientId, ipAddress, null, "rejected_by_user", new Dictionary<string, string>
            {
                ["auth_method"] = "openid-connect",
                ["custom_required_action"] = TermsAction,
                ["redirect_uri"] = DefaultRedirectUri,
                ["code_id"] = NewId(),
                ["username"] = user.Username,
            }, Time.GetUtcNow(), force: false);
        }
    }

    /// <summary>
    /// Self-registration through the form with the terms checkbox (<c>registration-terms-and-conditions</c>): creates
    /// the user (with the realm's enabled default required actions, as JpaUserProvider.addUser does), sets
    /// <c>terms_and_conditions</c> to now in epoch seconds and emits only <c>REGISTER</c>. Returns the new id.
    /// </summary>
    /// <remarks>
    /// Whether the registration step also removes a default <c>TERMS_AND_CONDITIONS</c> action from the new user was not
    /// verified in Keycloak's source; the simulator removes it, since the user has just accepted.
    /// </remarks>
    public string RegisterUser(
        string username,
        string? email = null,
        string? firstName = null,
        string? lastName = null,
        string clientId = "account",
        string ipAddress = "127.0.0.1")
    {
        lock (Sync)
        {
            if (FindByUsernameUnlocked(username) is not null)
            {
                throw new InvalidOperationException($"User '{username}' exists in realm '{Name}'.");
            }

            var now = Time.GetUtcNow();
            var user = new UserRecord
            {
                Id = NewId(),
                Username = username.ToLowerInvariant(),
                Email = email?.ToLowerInvariant(),
                FirstName = firstName,
                LastName = lastName,
                CreatedTimestamp = now.ToUnixTimeMilliseconds(),
            };
            user.RequiredActions.AddRange(DefaultActionsUnlocked().Where(a => a != TermsAction));
            user.Attributes[TermsAttribute] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
            InsertUnlocked(user);
            var details = new Dictionary<string, string>
            {
                ["auth_method"] = "openid-connect",
                ["auth_type"] = "code",
                ["register_method"] = "form",
                ["redirect_uri"] = DefaultRedirectUri,
                ["code_id"] = NewId(),
                ["username"] = user.Username,
            };
            if (user.Email is not null)
            {
                details["email"] = user.Email;
            }

            AddEventUnlocked("REGISTER", user.Id, clientId, ipAddress, null, null, details, now, force: false);
            return user.Id;
        }
    }

    internal IEnumerable<string> DefaultActionsUnlocked() =>
        SortedRequiredActionsUnlocked()
            .Where(a => SimJson.Bool(a, "enabled") == true && SimJson.Bool(a, "defaultAction") == true)
            .Select(a => SimJson.Str(a, "alias")!);

    internal JsonObject? AddEventUnlocked(
        string type, string? userId, string? clientId, string? ipAddress, string? sessionId, string? error,
        IReadOnlyDictionary<string, string>? details, DateTimeOffset? time, bool force)
    {
        if (!force)
        {
            if (SimJson.Bool(Settings, "eventsEnabled") != true)
            {
                return null;
            }

            if (SimJson.StringList(Settings["enabledEventTypes"]) is { Count: > 0 } types && !types.Contains(type))
            {
                return null;
            }
        }

        var detailsJson = new JsonObject();
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            detailsJson[key] = value;
        }

        var item = new JsonObject
        {
            ["id"] = NewId(),
            ["time"] = (time ?? Time.GetUtcNow()).ToUnixTimeMilliseconds(),
            ["type"] = type,
            ["realmId"] = Id,
            ["clientId"] = clientId,
            ["userId"] = userId,
            ["sessionId"] = sessionId,
            ["ipAddress"] = ipAddress,
            ["error"] = error,
            ["details"] = detailsJson,
        };
        InsertEventUnlocked(item);
        return item;
    }

    /// <summary>Keeps events ordered by time; equal times keep arrival order.</summary>
    private void InsertEventUnlocked(JsonObject item)
    {
        var time = SimJson.Long(item, "time") ?? 0;
        if (_events.Count == 0 || (SimJson.Long(_events[^1], "time") ?? 0) <= time)
        {
            _events.Add(item);
            return;
        }

        int low = 0, high = _events.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if ((SimJson.Long(_events[mid], "time") ?? 0) <= time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        _events.Insert(low, item);
    }

    /// <summary>Stored events not yet expired (<c>eventsExpiration</c> seconds), oldest first; expired ones are purged.</summary>
    internal List<JsonObject> LiveEventsUnlocked()
    {
        if (SimJson.Long(Settings, "eventsExpiration") is { } seconds and > 0)
        {
            var cutoff = Time.GetUtcNow().ToUnixTimeMilliseconds() - (seconds * 1000);
            _events.RemoveAll(e => (SimJson.Long(e, "time") ?? 0) < cutoff);
        }

        return _events;
    }
}
