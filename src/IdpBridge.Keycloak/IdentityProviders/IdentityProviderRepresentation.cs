#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.IdentityProviders;

/// <summary>
/// A realm's identity provider (<c>IdentityProviderRepresentation</c>). Keycloak masks
/// <c>config.clientSecret</c> as <see cref="MaskedSecret"/> on read, and a PUT that sends the mask keeps the
/// stored secret.
/// </summary>
public sealed record IdentityProviderRepresentation : KeycloakRepresentation
{
    /// <summary>What Keycloak shows instead of a stored secret, and accepts as "keep the stored one".</summary>
    public const string MaskedSecret = "**********";

    public string? Alias { get; init; }

    public string? DisplayName { get; init; }

    public string? InternalId { get; init; }

    public string? ProviderId { get; init; }

    public bool? Enabled { get; init; }

    public bool? TrustEmail { get; init; }

    public bool? StoreToken { get; init; }

    public bool? AddReadTokenRoleOnCreate { get; init; }

    public bool? LinkOnly { get; init; }

    public bool? HideOnLogin { get; init; }

    public string? FirstBrokerLoginFlowAlias { get; init; }

    public string? PostBrokerLoginFlowAlias { get; init; }

    public IReadOnlyDictionary<string, string>? Config { get; init; }
}

/// <summary>A mapper of an identity provider (<c>IdentityProviderMapperRepresentation</c>).</summary>
public sealed record IdentityProviderMapperRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? IdentityProviderAlias { get; init; }

    public string? IdentityProviderMapper { get; init; }

    public IReadOnlyDictionary<string, string>? Config { get; init; }
}
