namespace IdpBridge.Keycloak.Users;

/// <summary>
/// Filters of <c>GET /admin/realms/{realm}/users</c> and <c>/users/count</c>. An empty query lists every user
/// but service accounts; any field filter or <see cref="Attributes"/> includes service accounts (Keycloak's rule).
/// </summary>
public sealed record UserQuery
{
    /// <summary>Substring of username, email, first or last name (<c>search</c>).</summary>
    public string? Search { get; init; }

    /// <summary>Username contains this (exactly this with <see cref="Exact"/>).</summary>
    public string? Username { get; init; }

    /// <summary>Email contains this (exactly this with <see cref="Exact"/>).</summary>
    public string? Email { get; init; }

    /// <summary>First name contains this (exactly this with <see cref="Exact"/>).</summary>
    public string? FirstName { get; init; }

    /// <summary>Last name contains this (exactly this with <see cref="Exact"/>).</summary>
    public string? LastName { get; init; }

    /// <summary>Match the field filters exactly instead of as substrings.</summary>
    public bool? Exact { get; init; }

    /// <summary>Only enabled (true) or disabled (false) users.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Only users whose email is (true) or is not (false) verified.</summary>
    public bool? EmailVerified { get; init; }

    /// <summary>Exact attribute matches, sent as <c>q=key:value key2:value2</c>.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Brief items: no required actions, attributes, totp or notBefore. Default false.</summary>
    public bool BriefRepresentation { get; init; }

    /// <summary>An empty query: every user but service accounts, full items.</summary>
    public static UserQuery All { get; } = new();

    internal string? AttributeQuery => Attributes is { Count: > 0 }
        ? string.Join(' ', Attributes.Select(pair => $"{pair.Key}:{pair.Value}"))
        : null;
}
