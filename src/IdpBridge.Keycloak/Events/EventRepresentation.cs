#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.Events;

/// <summary>A stored user event (<c>EventRepresentation</c>). <see cref="Id"/> exists from Keycloak 26.4.</summary>
public sealed record EventRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    /// <summary>When it happened, epoch milliseconds.</summary>
    public long Time { get; init; }

    public string? Type { get; init; }

    public string? RealmId { get; init; }

    public string? ClientId { get; init; }

    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public string? IpAddress { get; init; }

    public string? Error { get; init; }

    public IReadOnlyDictionary<string, string>? Details { get; init; }
}

/// <summary>A realm's event settings (<c>RealmEventsConfigRepresentation</c>).</summary>
public sealed record RealmEventsConfigRepresentation : KeycloakRepresentation
{
    public bool? EventsEnabled { get; init; }

    /// <summary>How long events are kept, in seconds; absent means forever.</summary>
    public long? EventsExpiration { get; init; }

    public IReadOnlyList<string>? EventsListeners { get; init; }

    public IReadOnlyList<string>? EnabledEventTypes { get; init; }

    public bool? AdminEventsEnabled { get; init; }

    public bool? AdminEventsDetailsEnabled { get; init; }
}
