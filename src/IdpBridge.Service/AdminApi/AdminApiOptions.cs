using System.ComponentModel.DataAnnotations;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// Who may call the admin API: bearer tokens issued by one Keycloak realm, for IdpBridge's audience, carrying the
/// admin role. Bound from <c>IdpBridge:AdminApi</c> (environment <c>IdpBridge__AdminApi__Realm</c>, ...).
/// Keycloak's base URL comes from <c>IdpBridge:Keycloak:Url</c>. Validated at start-up (<see cref="AdminApiOptionsValidator"/>).
/// </summary>
public sealed class AdminApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:AdminApi";

    /// <summary>The realm whose tokens are accepted (its issuer and signing keys). Required; no default.</summary>
    [Required(ErrorMessage = $"{SectionName}:Realm is required: the Keycloak realm whose tokens the admin API accepts.")]
    public string Realm { get; set; } = "";

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
    /// compose stack: <c>http://localhost:8080/realms/R</c> versus <c>http://keycloak:8080/realms/R</c>). Default:
    /// the issuer of the realm's discovery document.
    /// </summary>
    public string? ValidIssuer { get; set; }

    /// <summary>Refuse to fetch the discovery document and keys over plain HTTP. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The Keycloak client (of <see cref="Realm"/>) through which a browser signs in to the read-only admin pages
    /// (<c>/admin/...</c>): authorization code with PKCE, redirect URI <c>{service}/admin/signin-oidc</c>. Unset (the
    /// default): the pages accept only a bearer token, like the admin API.
    /// </summary>
    public string? PageClientId { get; set; }

    /// <summary>That client's secret when it is confidential; unset for a public client (PKCE only). Never logged.</summary>
    public string? PageClientSecret { get; set; }

    /// <summary>Tolerated clock difference with Keycloak for <c>exp</c>/<c>nbf</c>. Default 30 seconds (<c>00:00:30</c>).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
