using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class SimulatedRealm
{
    /// <summary>
    /// Records a user event as Keycloak's EventBuilder would: stored only while <c>eventsEnabled</c> and
    /// <c>enabledEventTypes</c> lists <paramref name="type"/> (an empty set: the types saved by default). Returns the
    /// stored event (a copy) or null.
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
            events.Clear();
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

            // An empty set stores the types saved by default (EventType's saveByDefault), not every type.
            IReadOnlyList<string> types = SimJson.StringList(Settings["enabledEventTypes"]) is { Count: > 0 } listed ? listed : KeycloakEventTypes.SavedByDefault;
            if (!types.Contains(type))
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
        if (events.Count == 0 || (SimJson.Long(events[^1], "time") ?? 0) <= time)
        {
            events.Add(item);
            return;
        }

        int low = 0, high = events.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if ((SimJson.Long(events[mid], "time") ?? 0) <= time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        events.Insert(low, item);
    }

    /// <summary>Stored events not yet expired (<c>eventsExpiration</c> seconds), oldest first; expired ones are purged.</summary>
    internal List<JsonObject> LiveEventsUnlocked()
    {
        if (SimJson.Long(Settings, "eventsExpiration") is { } seconds and > 0)
        {
            var cutoff = Time.GetUtcNow().ToUnixTimeMilliseconds() - (seconds * 1000);
            events.RemoveAll(e => (SimJson.Long(e, "time") ?? 0) < cutoff);
        }

        return events;
    }
}
