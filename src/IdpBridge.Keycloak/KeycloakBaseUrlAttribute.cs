using System.ComponentModel.DataAnnotations;

namespace IdpBridge.Keycloak;

/// <summary>
/// <see cref="KeycloakOptions.Url"/> is Keycloak's base URL: absolute http(s), no query or fragment, and not an
/// admin or realm URL (a common paste: the console's address). A missing URL is <see cref="RequiredAttribute"/>'s to say.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class KeycloakBaseUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        const string setting = KeycloakOptions.SectionName + ":Url";
        string[] members = validationContext.MemberName is { } member ? [member] : [];
        return value switch
        {
            Uri { IsAbsoluteUri: true, Scheme: "http" or "https" } url when !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) =>
                new ValidationResult($"{setting} must not carry a query or fragment.", members),
            Uri { IsAbsoluteUri: true, Scheme: "http" or "https" } url when url.Segments.Any(segment => segment.TrimEnd('/') is "admin" or "realms") =>
                new ValidationResult(
                    $"{setting} is Keycloak's base URL (with /auth only for Keycloak before 17), without /admin or /realms: '{url}'.", members),
            Uri { IsAbsoluteUri: true, Scheme: "http" or "https" } or null => ValidationResult.Success,
            var other => new ValidationResult($"{setting} must be an absolute http(s) URL, not '{other}'.", members),
        };
    }
}
