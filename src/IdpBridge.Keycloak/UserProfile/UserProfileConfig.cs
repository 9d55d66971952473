#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using System.Text.Json;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.UserProfile;

/// <summary>
/// Keycloak's declarative user profile (<c>UPConfig</c>): which attributes users are asked for, who may see and
/// edit them. A PUT replaces the whole document; <c>username</c> and <c>email</c> cannot be removed.
/// </summary>
public sealed record UserProfileConfig : KeycloakRepresentation
{
    public IReadOnlyList<UserProfileAttribute>? Attributes { get; init; }

    public IReadOnlyList<UserProfileGroup>? Groups { get; init; }

    /// <summary>
    /// <c>ENABLED</c>, <c>ADMIN_VIEW</c> or <c>ADMIN_EDIT</c>; absent means unmanaged attributes are disabled
    /// (Keycloak has no <c>DISABLED</c> value).
    /// </summary>
    public string? UnmanagedAttributePolicy { get; init; }
}

/// <summary>One attribute of the user profile (<c>UPAttribute</c>).</summary>
public sealed record UserProfileAttribute : KeycloakRepresentation
{
    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>Validator name to its configuration, kept as JSON (each validator has its own shape).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Validations { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Annotations { get; init; }

    /// <summary>When present the attribute is required; <c>{}</c> means required for everyone everywhere.</summary>
    public UserProfileAttributeRequired? Required { get; init; }

    public UserProfileAttributePermissions? Permissions { get; init; }

    public UserProfileAttributeSelector? Selector { get; init; }

    public string? Group { get; init; }

    public bool? Multivalued { get; init; }
}

/// <summary>Who must fill an attribute (<c>UPAttributeRequired</c>).</summary>
public sealed record UserProfileAttributeRequired : KeycloakRepresentation
{
    public IReadOnlyList<string>? Roles { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>Who may view and edit an attribute (<c>UPAttributePermissions</c>).</summary>
public sealed record UserProfileAttributePermissions : KeycloakRepresentation
{
    public IReadOnlyList<string>? View { get; init; }

    public IReadOnlyList<string>? Edit { get; init; }
}

/// <summary>The client scopes for which an attribute applies (<c>UPAttributeSelector</c>).</summary>
public sealed record UserProfileAttributeSelector : KeycloakRepresentation
{
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>A group of attributes shown together (<c>UPGroup</c>).</summary>
public sealed record UserProfileGroup : KeycloakRepresentation
{
    public string? Name { get; init; }

    public string? DisplayHeader { get; init; }

    public string? DisplayDescription { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Annotations { get; init; }
}
