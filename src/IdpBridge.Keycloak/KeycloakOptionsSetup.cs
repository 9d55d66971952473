using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IdpBridge.Keycloak;

/// <summary>
/// Binds <see cref="KeycloakOptions"/> from configuration, accepting both IdpBridge's PascalCase keys and the
/// keys of a Keycloak adapter file (<c>keycloak.json</c>): <c>auth-server-url</c>, <c>realm</c>,
/// <c>resource</c>, <c>credentials:secret</c>. PascalCase wins when both are present.
/// </summary>
internal sealed class KeycloakOptionsSetup(IServiceProvider services) : IConfigureOptions<KeycloakOptions>
{
    public void Configure(KeycloakOptions options)
    {
        // A host always has configuration; a bare ServiceCollection (a tool, a test) may configure in code only.
        if (services.GetService(typeof(IConfiguration)) is not IConfiguration configuration)
        {
            return;
        }

        var section = configuration.GetSection(KeycloakOptions.SectionName);
        ApplyAdapterKeys(section, options);
        section.Bind(options);
    }

    internal static void ApplyAdapterKeys(IConfiguration section, KeycloakOptions options)
    {
        if (section["auth-server-url"] is { Length: > 0 } url)
        {
            options.Url = Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : null;
        }

        if (section["realm"] is { Length: > 0 } realm)
        {
            options.Realm = realm;
        }

        if (section["resource"] is { Length: > 0 } resource)
        {
            options.ClientId = resource;
        }

        if (section["credentials:secret"] is { Length: > 0 } secret)
        {
            options.ClientSecret = secret;
        }
    }
}

/// <summary>Validates <see cref="KeycloakOptions"/> at start-up with messages that name the setting.</summary>
internal sealed class KeycloakOptionsValidator : IValidateOptions<KeycloakOptions>
{
    public ValidateOptionsResult Validate(string? name, KeycloakOptions options)
    {
        var failures = new List<string>();
        const string prefix = KeycloakOptions.SectionName + ":";

        if (options.Url is null)
        {
            failures.Add($"{prefix}Url (or auth-server-url) is required: Keycloak's base URL, e.g. https://sso.example.org.");
        }
        else if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("http" or "https"))
        {
            failures.Add($"{prefix}Url must be an absolute http(s) URL, not '{options.Url}'.");
        }
        else if (!string.IsNullOrEmpty(options.Url.Query) || !string.IsNullOrEmpty(options.Url.Fragment))
        {
            failures.Add($"{prefix}Url must not carry a query or fragment.");
        }
        else if (options.Url.Segments.Any(segment => segment.TrimEnd('/') is "admin" or "realms"))
        {
            failures.Add(
                $"{prefix}Url is Keycloak's base URL (with /auth only for Keycloak before 17), without /admin or /realms: '{options.Url}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Realm))
        {
            failures.Add($"{prefix}Realm (or realm) must name the realm that issues the admin token.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{prefix}ClientId (or resource) is required: the confidential client with a service account.");
        }

        if (string.IsNullOrEmpty(options.ClientSecret))
        {
            failures.Add($"{prefix}ClientSecret (or credentials:secret) is required.");
        }

        if (options.TokenRenewalMargin < TimeSpan.Zero)
        {
            failures.Add($"{prefix}TokenRenewalMargin must not be negative.");
        }

        failures.AddRange(ResilienceRules.Check(options));

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"{prefix}MaxRetries must be between 0 and 20.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{prefix}RetryBaseDelay must not be negative.");
        }

        if (options.MaxInFlight is < 1 or > 1000)
        {
            failures.Add($"{prefix}MaxInFlight must be between 1 and 1000.");
        }

        if (options.MaxRequestsPerSecond < 0 || double.IsNaN(options.MaxRequestsPerSecond))
        {
            failures.Add($"{prefix}MaxRequestsPerSecond must be 0 (no limit) or positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
