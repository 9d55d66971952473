#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.Users;

/// <summary>
/// Keycloak's <c>UserRepresentation</c>. Brief list items carry no <see cref="RequiredActions"/> or
/// <see cref="Attributes"/>. Writing it back with <see cref="Attributes"/> set REPLACES every attribute of the
/// user (and clears first name, last name and email when absent): see
/// <see cref="KeycloakAdminClient.AddRequiredActionAsync"/> for the safe way to change required actions.
/// </summary>
public sealed record UserRepresentation : KeycloakRepresentation
{
    /// <summary>The attribute in which Keycloak keeps the time (epoch seconds) of the user's last terms acceptance.</summary>
    public const string TermsAcceptedAttribute = "terms_and_conditions";

    public string? Id { get; init; }

    public string? Username { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    public bool? EmailVerified { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>Creation time in epoch milliseconds.</summary>
    public long? CreatedTimestamp { get; init; }

    public string? FederationLink { get; init; }

    /// <summary>Set on the user of a client's service account: the client's id.</summary>
    public string? ServiceAccountClientLink { get; init; }

    public IReadOnlyList<string>? RequiredActions { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Attributes { get; init; }

    /// <summary>
    /// When the user last accepted the terms, from the <c>terms_and_conditions</c> attribute (epoch seconds);
    /// null when absent, unparsable, or invisible because the terms action is disabled in the realm.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? TermsAcceptedAt =>
        Attributes is not null
        && Attributes.TryGetValue(TermsAcceptedAttribute, out var values)
        && values.Count > 0
        && long.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
