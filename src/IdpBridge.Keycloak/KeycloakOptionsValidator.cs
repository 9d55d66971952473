using Microsoft.Extensions.Options;

namespace IdpBridge.Keycloak;

/// <summary>
/// Validates <see cref="KeycloakOptions"/> at start-up: generated from its data annotations (no reflection), then its
/// rules between settings. Every message names the setting; none holds the secret.
/// </summary>
[OptionsValidator]
internal sealed partial class KeycloakOptionsValidator : IValidateOptions<KeycloakOptions>;
