#pragma warning disable CS1591 // Fields mirror Keycloak's representation, documented by its OpenAPI document.

using System.Text.Json;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Keycloak.Realms;

/// <summary>
/// Keycloak's <c>RealmRepresentation</c>, also the shape of a realm export. The settings IdpBridge manages are
/// typed; everything else stays in <see cref="KeycloakRepresentation.Unmapped"/>. A PUT applies only the fields
/// present, except <see cref="Attributes"/>, which replaces the realm's whole custom attribute set.
/// </summary>
public sealed record RealmRepresentation : KeycloakRepresentation
{
    public string? Id { get; init; }

    public string? Realm { get; init; }

    public string? DisplayName { get; init; }

    public bool? Enabled { get; init; }

    public bool? RegistrationAllowed { get; init; }

    public bool? RegistrationEmailAsUsername { get; init; }

    public bool? LoginWithEmailAllowed { get; init; }

    public bool? DuplicateEmailsAllowed { get; init; }

    public bool? VerifyEmail { get; init; }

    public bool? ResetPasswordAllowed { get; init; }

    public bool? EditUsernameAllowed { get; init; }

    public string? LoginTheme { get; init; }

    public string? AccountTheme { get; init; }

    public bool? InternationalizationEnabled { get; init; }

    public IReadOnlyList<string>? SupportedLocales { get; init; }

    public string? DefaultLocale { get; init; }

    public bool? EventsEnabled { get; init; }

    /// <summary>How long events are kept, in seconds; absent means forever.</summary>
    public long? EventsExpiration { get; init; }

    public IReadOnlyList<string>? EnabledEventTypes { get; init; }

    public IReadOnlyList<string>? EventsListeners { get; init; }

    public bool? AdminEventsEnabled { get; init; }

    public bool? AdminEventsDetailsEnabled { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>
    /// The realm's mail server (<c>host</c>, <c>port</c>, <c>from</c>, <c>auth</c>, <c>user</c>, <c>password</c>,
    /// <c>ssl</c>, <c>starttls</c>, ...; every value a string). A PUT replaces the whole map. GET shows a stored
    /// <c>password</c> only as <see cref="IdentityProviderRepresentation.MaskedSecret"/>, and a PUT that sends the mask keeps
    /// the stored password (seen on 26.7.3).
    /// </summary>
    public IReadOnlyDictionary<string, string>? SmtpServer { get; init; }

    /// <summary>Export only: the realm's users.</summary>
    public IReadOnlyList<UserRepresentation>? Users { get; init; }

    /// <summary>Export only: the realm's clients.</summary>
    public IReadOnlyList<ClientRepresentation>? Clients { get; init; }

    /// <summary>Export only: the realm's identity providers.</summary>
    public IReadOnlyList<IdentityProviderRepresentation>? IdentityProviders { get; init; }

    /// <summary>Export only: the mappers of the realm's identity providers.</summary>
    public IReadOnlyList<IdentityProviderMapperRepresentation>? IdentityProviderMappers { get; init; }

    /// <summary>Export only: the realm's required actions.</summary>
    public IReadOnlyList<RequiredActionProviderRepresentation>? RequiredActions { get; init; }

    /// <summary>Export only: realm texts per locale (<c>localizationTexts</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? LocalizationTexts { get; init; }

    /// <summary>Export only: components by provider type (the user profile lives here), kept as JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Components { get; init; }
}
