#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak.RequiredActions;

/// <summary>
/// A realm's required action (<c>RequiredActionProviderRepresentation</c>). A PUT replaces every field and
/// <see cref="Enabled"/>, <see cref="DefaultAction"/> and <see cref="Priority"/> are primitives on the server:
/// an omitted one becomes false or 0. Always send the whole object, read just before.
/// </summary>
public sealed record RequiredActionProviderRepresentation : KeycloakRepresentation
{
    /// <summary>The alias of Keycloak's terms step (upper case since 21.0.2).</summary>
    public const string TermsAndConditions = "TERMS_AND_CONDITIONS";

    public string? Alias { get; init; }

    public string? Name { get; init; }

    public string? ProviderId { get; init; }

    public bool Enabled { get; init; }

    public bool DefaultAction { get; init; }

    public int Priority { get; init; }

    public IReadOnlyDictionary<string, string>? Config { get; init; }
}
