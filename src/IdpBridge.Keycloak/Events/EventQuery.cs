using System.Globalization;

namespace IdpBridge.Keycloak.Events;

/// <summary>Filters of <c>GET /admin/realms/{realm}/events</c>.</summary>
public sealed record EventQuery
{
    /// <summary>Event types to return (repeated <c>type</c> parameters); empty means all.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Only events of this user id.</summary>
    public string? UserId { get; init; }

    /// <summary>Only events of this client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// Lower bound, inclusive: <c>yyyy-MM-dd</c> on every 26.x server (<see cref="Day"/>), or epoch milliseconds
    /// from 26.4 (<see cref="EpochMillis"/>).
    /// </summary>
    public string? DateFrom { get; init; }

    /// <summary>Upper bound, inclusive; same formats as <see cref="DateFrom"/>.</summary>
    public string? DateTo { get; init; }

    /// <summary>Offset of the first event returned.</summary>
    public int? First { get; init; }

    /// <summary>Page size; Keycloak's default is 100.</summary>
    public int? Max { get; init; }

    /// <summary><c>asc</c> or <c>desc</c> (26.4+); the server's default is newest first.</summary>
    public string? Direction { get; init; }

    /// <summary>A date bound every 26.x server understands.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A millisecond bound, understood from Keycloak 26.4.</summary>
    public static string EpochMillis(DateTimeOffset instant) =>
        instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
