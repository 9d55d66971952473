using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>
    /// One page of the realm's stored user events (<c>GET /events</c>), newest first unless
    /// <see cref="EventQuery.Direction"/> says otherwise (26.4+). Events exist only while the realm stores them.
    /// </summary>
    public IAsyncEnumerable<EventRepresentation> GetEventsAsync(
        string realm, EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = KeycloakPath.Realm(realm, "events").WithQuery(
        [
            ("type", query.Types),
            ("user", query.UserId),
            ("client", query.ClientId),
            ("dateFrom", query.DateFrom),
            ("dateTo", query.DateTo),
            ("first", query.First),
            ("max", query.Max),
            ("direction", query.Direction),
        ]);
        return GetArrayAsync<EventRepresentation>(path, cancellationToken);
    }

    /// <summary>The realm's event settings.</summary>
    public Task<RealmEventsConfigRepresentation> GetEventsConfigAsync(string realm, CancellationToken cancellationToken = default) =>
        GetAsync<RealmEventsConfigRepresentation>(KeycloakPath.Realm(realm, "events", "config").ToString(), cancellationToken);

    /// <summary>Sets the realm's event settings. Retried on transient failures.</summary>
    public Task UpdateEventsConfigAsync(
        string realm, RealmEventsConfigRepresentation config, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "events", "config").ToString(), config, retrySafe: true, cancellationToken);
}
