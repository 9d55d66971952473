using IdpBridge.Keycloak;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// <see cref="AdminApiOptions.RequireHttpsMetadata"/> against <see cref="KeycloakOptions.Url"/>, at start-up: the
/// token schemes read each realm's discovery document and keys from Keycloak's URL, and with the default (https
/// required) a plain-http Keycloak made every request fail with 500 (<c>/health/live</c> included) instead of the
/// service refusing to start.
/// </summary>
internal sealed class AdminApiHttpsRule(IOptions<KeycloakOptions> keycloak) : IValidateOptions<AdminApiOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = keycloak.Value.Url;
        if (!options.RequireHttpsMetadata || url is null || url.Scheme != Uri.UriSchemeHttp)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"{KeycloakOptions.SectionName}:Url is plain http ({url}) but {AdminApiOptions.SectionName}:RequireHttpsMetadata is true (the default): " +
            "the admin API could not read the realm's signing keys. Reach Keycloak over https, or set " +
            "IdpBridge__AdminApi__RequireHttpsMetadata=false where the network between them is trusted (a compose stack, loopback).");
    }
}
