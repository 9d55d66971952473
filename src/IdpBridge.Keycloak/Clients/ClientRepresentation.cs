#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.Clients;

/// <summary>A realm's client (<c>ClientRepresentation</c>); <see cref="Id"/> is the internal UUID.</summary>
public sealed record ClientRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? ClientId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool? Enabled { get; init; }

    public string? Protocol { get; init; }

    public bool? PublicClient { get; init; }

    public bool? BearerOnly { get; init; }

    public string? ClientAuthenticatorType { get; init; }

    /// <summary>Keycloak shows the secret of a confidential client to admins; never print it.</summary>
    public string? Secret { get; init; }

    public bool? StandardFlowEnabled { get; init; }

    public bool? ImplicitFlowEnabled { get; init; }

    public bool? DirectAccessGrantsEnabled { get; init; }

    public bool? ServiceAccountsEnabled { get; init; }

    public string? RootUrl { get; init; }

    public string? BaseUrl { get; init; }

    public IReadOnlyList<string>? RedirectUris { get; init; }

    public IReadOnlyList<string>? WebOrigins { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

/// <summary>A role (<c>RoleRepresentation</c>): a realm role, or a client role as used in client role mappings.</summary>
public sealed record RoleRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool? Composite { get; init; }

    public bool? ClientRole { get; init; }

    public string? ContainerId { get; init; }

    /// <summary>Each attribute holds a list of values (absent from brief lists).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Attributes { get; init; }
}
