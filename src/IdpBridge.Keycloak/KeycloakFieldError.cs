namespace IdpBridge.Keycloak;

/// <summary>
/// One reason Keycloak's user profile validation gave for refusing a user (a 400 of <c>PUT</c> or <c>POST /users</c>):
/// <c>{"field": "lastName", "errorMessage": "error-person-name-invalid-character", "params": ["lastName"]}</c>.
/// </summary>
/// <param name="Field">The attribute refused (<c>email</c>, <c>firstName</c>, <c>lastName</c>...); null when Keycloak names none.</param>
/// <param name="ErrorMessage">Keycloak's message key (<c>error-invalid-email</c>...), translated by its admin console.</param>
/// <param name="Params">The message's parameters as Keycloak sent them (the attribute's name, for an email also its value).</param>
public sealed record KeycloakFieldError(string? Field, string ErrorMessage, IReadOnlyList<string> Params);
