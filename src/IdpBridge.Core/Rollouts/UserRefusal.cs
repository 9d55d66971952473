using IdpBridge.Keycloak;

namespace IdpBridge.Core.Rollouts;

/// <summary>How a user Keycloak refused is described: the stored reason, and what an administrator should do about it.</summary>
public static class UserRefusal
{
    /// <summary>
    /// The reason stored for a refused user: the status and, for a validation failure, each field with Keycloak's
    /// message (<c>400: lastName error-person-name-invalid-character</c>); a 404 says the user was deleted.
    /// </summary>
    public static string Reason(KeycloakException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.IsNotFound)
        {
            return "404: the user was deleted during the rollout";
        }

        var status = exception.StatusCode is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        return exception.FieldErrors.Count > 0
            ? $"{status}: {string.Join("; ", exception.FieldErrors.Select(error => $"{error.Field ?? "user"} {error.ErrorMessage}"))}"
            : $"{status}: {exception.KeycloakError ?? "refused by Keycloak"}";
    }

    /// <summary>
    /// What to fix, in words (<c>the user's last name and email</c>), from Keycloak's field errors; a generic phrase
    /// when Keycloak named no field.
    /// </summary>
    public static string WhatToFix(IReadOnlyCollection<KeycloakFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var fields = errors.Select(error => Describe(error.Field)).Distinct(StringComparer.Ordinal).ToList();
        return fields.Count switch
        {
            0 => "the user's data Keycloak refuses",
            1 => $"the user's {fields[0]}",
            _ => $"the user's {string.Join(", ", fields[..^1])} and {fields[^1]}",
        };
    }

    /// <summary>A user attribute as an administrator calls it (Keycloak's names for the root ones, the attribute's name otherwise).</summary>
    public static string Describe(string? field) => field switch
    {
        "firstName" => "first name",
        "lastName" => "last name",
        "email" => "email",
        "username" => "username",
        null or "" => "data",
        var other => $"attribute '{other}'",
    };
}
