using System.Globalization;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// <c>GET /admin/realms/{realm}/events</c> and the events settings as Keycloak 26.7.3 answers them
/// (<c>RealmAdminResource.getEvents</c>, <c>DateUtil</c>, <c>RealmManager.updateRealmEventsConfig</c>).
/// </summary>
public sealed partial class KeycloakSimulator
{
    private static readonly string[] EventsConfigFields =
        ["eventsEnabled", "eventsExpiration", "eventsListeners", "enabledEventTypes", "adminEventsEnabled", "adminEventsDetailsEnabled"];

    /// <summary>The event listeners a stock 26.7.3 server has.</summary>
    private static readonly HashSet<string> KnownListeners = new(StringComparer.Ordinal) { "jboss-logging", "email" };

    /// <summary>The settings as <c>GET /events/config</c> shows them: an empty type set lists the types stored by default.</summary>
    private static JsonObject EventsConfig(SimulatedRealm realm)
    {
        var config = new JsonObject();
        foreach (var field in EventsConfigFields)
        {
            config[field] = realm.Settings[field]?.DeepClone();
        }

        if (config["enabledEventTypes"] is not JsonArray { Count: > 0 })
        {
            config["enabledEventTypes"] = new JsonArray(KeycloakEventTypes.SavedByDefault.Select(type => (JsonNode?)JsonValue.Create(type)).ToArray());
        }

        return config;
    }

    /// <summary>A listener the server does not have is refused: 400 <c>{"error": "Unknown event listener"}</c>.</summary>
    private static void RequireKnownListeners(JsonObject body)
    {
        if (body["eventsListeners"] is JsonArray listeners && listeners.Any(listener => listener?.GetValue<string>() is not { } name || !KnownListeners.Contains(name)))
        {
            throw new SimHttpException(SimResponse.Error(400, "error", "Unknown event listener"));
        }
    }

    private static SimResponse QueryEvents(SimRequest request, SimulatedRealm realm)
    {
        var typeFilter = request.QAll("type").ToHashSet(StringComparer.Ordinal);
        if (typeFilter.Any(type => !KeycloakEventTypes.All.Contains(type)))
        {
            // EventType.valueOf throws, and nothing maps the exception: Keycloak's generic error.
            return SimResponse.Json(new JsonObject
            {
                ["error"] = "unknown_error",
                ["error_description"] = "For more on this error consult the server log.",
            }, 500);
        }

        var user = request.Q("user");
        var client = request.Q("client");
        var ip = request.Q("ipAddress");
        var from = ParseEventDate(request.Q("dateFrom"), "dateFrom", endOfDay: false);
        var to = ParseEventDate(request.Q("dateTo"), "dateTo", endOfDay: true);
        var first = Math.Max(0, request.QInt("first") ?? 0);
        var max = request.QInt("max") ?? 100;
        var ascending = request.Q("direction") switch
        {
            null => false,
            "asc" => true,
            "desc" => false,
            _ => throw new SimHttpException(SimResponse.Error(400, "error", "Invalid value for sortDirection, expected value is asc or desc")),
        };
        IEnumerable<JsonObject> events = realm.LiveEventsUnlocked();
        if (!ascending)
        {
            events = events.Reverse();
        }

        var page = events.Where(e =>
                (typeFilter.Count == 0 || typeFilter.Contains(SimJson.Str(e, "type") ?? ""))
                && (user is null || SimJson.Str(e, "userId") == user)
                && (client is null || SimJson.Str(e, "clientId") == client)
                && (ip is null || SimJson.Str(e, "ipAddress") == ip)
                && (from is null || (SimJson.Long(e, "time") ?? 0) >= from)
                && (to is null || (SimJson.Long(e, "time") ?? 0) <= to))
            .Skip(first);
        if (max >= 0)
        {
            page = page.Take(max);
        }

        return SimResponse.Json(new JsonArray(page.Select(e => (JsonNode?)e.DeepClone()).ToArray()));
    }

    /// <summary>
    /// A date bound as DateUtil reads it: text with a <c>-</c> is a <c>yyyy-MM-dd</c> day in UTC (its start, or for
    /// <c>dateTo</c> its last millisecond), anything else epoch milliseconds; what neither reads is a 400.
    /// </summary>
    private static long? ParseEventDate(string? text, string name, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        if (!text.Contains('-', StringComparison.Ordinal))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis))
            {
                return millis;
            }
        }
        else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeMilliseconds();
            return endOfDay ? start + 86_400_000 - 1 : start;
        }

        throw new SimHttpException(SimResponse.Error(400, "error", $"Invalid value for '{name}', expected format is yyyy-MM-dd or an Epoch timestamp"));
    }
}
