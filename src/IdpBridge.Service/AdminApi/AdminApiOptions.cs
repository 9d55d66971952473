using System.ComponentModel.DataAnnotations;
using IdpBridge.Keycloak;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// Which realms the service administers, and who may do it: for each served realm, bearer tokens issued by that realm,
/// for IdpBridge's audience, carrying the admin role in that same token. A route about realm R (the API and the admin
/// page) takes only R's tokens; a realm that is not served is refused with 403. Bound from <c>IdpBridge:AdminApi</c>
/// (environment <c>IdpBridge__AdminApi__Realm</c>, <c>IdpBridge__AdminApi__Realms__0</c>, ...). Keycloak's base URL
/// comes from <c>IdpBridge:Keycloak:Url</c>. Validated at start-up (<see cref="AdminApiOptionsValidator"/>).
/// </summary>
public sealed class AdminApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:AdminApi";

    /// <summary>
    /// The realm the service administers, whose tokens it accepts (its issuer and signing keys). This or
    /// <see cref="Realms"/> is required. Default empty.
    /// </summary>
    public string Realm { get; set; } = "";

    /// <summary>
    /// More realms to administer, each through its own issuer: a token is good only for the realm that issued it.
    /// Default empty (only <see cref="Realm"/>).
    /// </summary>
    public IList<string> Realms { get; } = [];

    /// <summary>
    /// The audience the token must carry in <c>aud</c> (add an audience mapper for it in Keycloak). Default
    /// <c>idpbridge</c>.
    /// </summary>
    [Required(ErrorMessage = $"{SectionName}:Audience must not be empty.")]
    public string Audience { get; set; } = "idpbridge";

    /// <summary>
    /// The role an admin must have: a realm role (in <c>realm_access.roles</c>), or <c>client/role</c> for a client
    /// role (in <c>resource_access.client.roles</c>). Default <c>idpbridge-admin</c>.
    /// </summary>
    [Required(ErrorMessage = $"{SectionName}:Role must name the admin role.")]
    public string Role { get; set; } = "idpbridge-admin";

    /// <summary>
    /// The issuer tokens carry, when Keycloak's public URL differs from the URL this service reaches it by (in a
    /// compose stack: <c>http://localhost:8080/realms/R</c> versus <c>http://keycloak:8080/realms/R</c>). With several
    /// realms it must hold <c>{realm}</c>, replaced by each realm's name. Default: the issuer of each realm's discovery
    /// document.
    /// </summary>
    public string? ValidIssuer { get; set; }

    /// <summary>Refuse to fetch the discovery document and keys over plain HTTP. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The Keycloak client (of <see cref="Realm"/>) through which a browser signs in to the read-only admin pages
    /// (<c>/admin/...</c>): authorization code with PKCE, redirect URI <c>{service}/admin/realms/{realm}/signin-oidc</c>. Unset (the
    /// default): the pages accept only a bearer token, like the admin API.
    /// </summary>
    public string? PageClientId { get; set; }

    /// <summary>That client's secret when it is confidential; unset for a public client (PKCE only). Never logged.</summary>
    public string? PageClientSecret { get; set; }

    /// <summary>
    /// How long a browser's admin page session lasts, not sliding. After it the browser signs in at Keycloak again
    /// (silently while its Keycloak session lasts) and brings the roles it has then, so a revoked role ends access
    /// within this time. Default 5 minutes.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = $"{SectionName}:PageSessionLifetime must be between 1 second and 1 day.")]
    public TimeSpan PageSessionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><see cref="Realm"/> and <see cref="Realms"/>, in that order, each once.</summary>
    internal IReadOnlyList<string> ServedRealms() =>
        new[] { Realm }.Concat(Realms).Where(name => !string.IsNullOrWhiteSpace(name)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The issuer <paramref name="realm"/>'s tokens must carry when <see cref="ValidIssuer"/> says; null: discovery's.</summary>
    internal string? IssuerOf(string realm) =>
        string.IsNullOrEmpty(ValidIssuer) ? null : ValidIssuer.Replace("{realm}", Uri.EscapeDataString(realm), StringComparison.Ordinal);

    /// <summary>Tolerated clock difference with Keycloak for <c>exp</c>/<c>nbf</c>, 0 to 1 hour. Default 30 seconds (<c>00:00:30</c>).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = $"{SectionName}:ClockSkew must be between 0 and 1 hour.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var served = ServedRealms();
        if (served.Count == 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:Realm (or Realms) is required: the Keycloak realm(s) the service administers, whose tokens the admin API accepts.",
                [nameof(Realm)]);
        }

        if (served.Count > 1 && !string.IsNullOrEmpty(ValidIssuer) && !ValidIssuer.Contains("{realm}", StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                $"{SectionName}:ValidIssuer must contain {{realm}} when several realms are served: each realm has its own issuer.",
                [nameof(ValidIssuer)]);
        }
    }
}
