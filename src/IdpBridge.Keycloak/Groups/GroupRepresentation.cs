#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.Groups;

/// <summary>A realm's group (<c>GroupRepresentation</c>); <see cref="Id"/> is the internal UUID.</summary>
public sealed record GroupRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Path { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Attributes { get; init; }
}
