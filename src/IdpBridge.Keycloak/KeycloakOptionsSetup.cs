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
