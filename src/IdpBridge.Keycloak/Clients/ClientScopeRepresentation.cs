#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.Clients;

/// <summary>A realm's client scope (<c>ClientScopeRepresentation</c>), with its protocol mappers when Keycloak lists them.</summary>
public sealed record ClientScopeRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Protocol { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    public IReadOnlyList<ProtocolMapperRepresentation>? ProtocolMappers { get; init; }
}

/// <summary>A protocol mapper of a client scope (<c>ProtocolMapperRepresentation</c>): what one claim of a token holds.</summary>
public sealed record ProtocolMapperRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Protocol { get; init; }

    public string? ProtocolMapper { get; init; }

    public bool? ConsentRequired { get; init; }

    public IReadOnlyDictionary<string, string>? Config { get; init; }
}

/// <summary>How a client scope is linked to a client: always in its tokens, or when the client asks for it.</summary>
public enum ClientScopeKind
{
    /// <summary><c>default-client-scopes</c>: always applied.</summary>
    Default,

    /// <summary><c>optional-client-scopes</c>: applied when the client requests the scope.</summary>
    Optional,
}
