using System.Security.Claims;
using System.Text.Json;
using IdpBridge.Core.Policies;
using IdpBridge.Keycloak;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// Authentication per served realm (<see cref="AdminRealms"/>): a bearer scheme whose authority is that realm, and
/// for the admin pages a cookie and, when configured, Keycloak sign-in; and the admin policies.
/// </summary>
internal static class AdminAuthentication
{
    /// <summary>The authorization policy of every admin endpoint.</summary>
    public const string AdminPolicy = "IdpBridgeAdmin";

    /// <summary>The authorization policy of the admin pages: a bearer token, or a browser's sign-in cookie.</summary>
    public const string AdminPagePolicy = "IdpBridgeAdminPage";

    private const string PageScheme = "IdpBridgeAdminPage";

    /// <summary>
    /// How often a realm's discovery document and keys are read again (the library's default is 12 hours): a key that
    /// Keycloak rotates in, or disables after a leak, counts within minutes.
    /// </summary>
    private static readonly TimeSpan KeysRefresh = TimeSpan.FromMinutes(10);

    /// <summary>The least time between two reads forced by a token signed with a key id not yet known (default 5 minutes).</summary>
    private static readonly TimeSpan KeysRefreshOnUnknownKey = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers the schemes of every realm in <see cref="AdminApiOptions.Realm"/> and <see cref="AdminApiOptions.Realms"/>
    /// (read now: schemes exist only at start-up), and a Keycloak sign-in per realm when
    /// <see cref="AdminApiOptions.PageClientId"/> is configured (a sign-in scheme exists only when it can work).
    /// </summary>
    public static void AddAdminAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(AdminRealms)))
        {
            return;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminApiOptions>, AdminApiOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminApiOptions>, AdminApiHttpsRule>());
        services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.SectionName).ValidateOnStart();

        var configured = configuration.GetSection(AdminApiOptions.SectionName).Get<AdminApiOptions>() ?? new AdminApiOptions();
        var realms = new AdminRealms(configured.ServedRealms(), configured.IssuerOf);
        services.AddSingleton(realms);
        var pageSignIn = !string.IsNullOrWhiteSpace(configured.PageClientId);
        var authentication = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddPolicyScheme(JwtBearerDefaults.AuthenticationScheme, "Admin API", scheme => scheme.ForwardDefaultSelector = realms.SelectBearer)
            .AddPolicyScheme(PageScheme, "Admin pages", scheme => scheme.ForwardDefaultSelector = context =>
                AdminRealms.HasBearerToken(context) ? realms.SelectBearer(context) : realms.SelectCookie(context));
        foreach (var realm in realms.Names)
        {
            authentication.AddJwtBearer(AdminRealms.BearerScheme(realm), _ => { }).AddCookie(AdminRealms.CookieScheme(realm));
            services.AddOptions<JwtBearerOptions>(AdminRealms.BearerScheme(realm))
                .Configure<IOptions<AdminApiOptions>, IOptions<KeycloakOptions>>((bearer, admin, keycloak) => ConfigureBearer(bearer, realm, admin.Value, keycloak.Value));
            services.AddOptions<CookieAuthenticationOptions>(AdminRealms.CookieScheme(realm))
                .Configure<IOptions<AdminApiOptions>, IOptions<PolicyOptions>>(
                    (cookie, admin, policies) => ConfigurePageCookie(cookie, realm, pageSignIn, admin.Value, policies.Value));
            if (pageSignIn)
            {
                authentication.AddOpenIdConnect(AdminRealms.OidcScheme(realm), _ => { });
                services.AddOptions<OpenIdConnectOptions>(AdminRealms.OidcScheme(realm))
                    .Configure<IOptions<AdminApiOptions>, IOptions<KeycloakOptions>, IOptions<PolicyOptions>>((oidc, admin, keycloak, policies) =>
                        ConfigurePageSignIn(oidc, realm, admin.Value, keycloak.Value, policies.Value));
            }
        }

        services.AddSingleton<IAuthorizationHandler, AdminRequirementHandler>();
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, AdminRefusalResultHandler>());
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()))
            .AddPolicy(AdminPagePolicy, policy => policy.AddAuthenticationSchemes(PageScheme).RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
    }

    /// <summary>Keycloak's URL of <paramref name="realm"/>: the authority of its schemes.</summary>
    private static string RealmUrl(KeycloakOptions keycloak, string realm) =>
        $"{keycloak.Url!.ToString().TrimEnd('/')}/realms/{Uri.EscapeDataString(realm)}";

    /// <summary><paramref name="realm"/>'s tokens: its issuer and keys, IdpBridge's audience, an expiry; the identity marked as that realm's.</summary>
    private static void ConfigureBearer(JwtBearerOptions bearer, string realm, AdminApiOptions settings, KeycloakOptions keycloak)
    {
        bearer.Authority = RealmUrl(keycloak, realm);
        bearer.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        bearer.AutomaticRefreshInterval = KeysRefresh;
        bearer.RefreshInterval = KeysRefreshOnUnknownKey;
        bearer.MapInboundClaims = false;
        // The challenge says "Bearer" and nothing more: why a token failed (expired, wrong issuer, bad signature) helps a
        // prober, not a caller, whose own token tells it as much. The log keeps the reason.
        bearer.IncludeErrorDetails = false;
        var validation = bearer.TokenValidationParameters;
        validation.AuthenticationType = AdminRealms.IdentityType(realm);
        validation.ValidateIssuer = true;
        if (settings.IssuerOf(realm) is { } issuer)
        {
            validation.ValidIssuer = issuer;
        }

        validation.ValidateAudience = true;
        validation.ValidAudience = settings.Audience;
        validation.ValidateLifetime = true;
        validation.RequireExpirationTime = true;
        validation.ClockSkew = settings.ClockSkew;
        validation.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "ES256"];
    }

    /// <summary>
    /// A short-lived, HTTP-only cookie scoped to <c>/admin/realms/{realm}</c>: one per realm, never sent to another
    /// realm's pages. Without one, a browser is sent to that realm's Keycloak sign-in when a page client is configured,
    /// and gets 401 with a bearer challenge otherwise; a signed-in user without the admin role gets 403. Secure whenever
    /// the public address is https: TLS often ends at a proxy, and the request this service sees is then plain http.
    /// </summary>
    private static void ConfigurePageCookie(CookieAuthenticationOptions cookie, string realm, bool pageSignIn, AdminApiOptions settings, PolicyOptions policies)
    {
        cookie.Cookie.Name = "idpbridge_admin";
        cookie.Cookie.Path = "/admin/realms/" + Uri.EscapeDataString(realm);
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = policies.PublicBaseUrl.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        // Not sliding: the session ends after PageSessionLifetime however busy it is, so the next page signs in at Keycloak
        // again (silently while the Keycloak session lasts) and brings the roles the user has then.
        cookie.ExpireTimeSpan = settings.PageSessionLifetime;
        cookie.SlidingExpiration = false;
        cookie.Events.OnRedirectToLogin = context =>
        {
            if (pageSignIn)
            {
                return context.HttpContext.ChallengeAsync(
                    AdminRealms.OidcScheme(realm),
                    new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString });
            }

            // Without a sign-in client the page takes bearer tokens only: say so, as every 401 must (RFC 9110 §15.5.2).
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Keycloak sign-in to <paramref name="realm"/>'s pages: authorization code with PKCE at that realm, redirect URI
    /// <c>/admin/realms/{realm}/signin-oidc</c> under <see cref="PolicyOptions.PublicBaseUrl"/> (never built from the
    /// request's Host or forwarded headers, which a caller chooses), the roles copied from the access token.
    /// </summary>
    private static void ConfigurePageSignIn(OpenIdConnectOptions oidc, string realm, AdminApiOptions settings, KeycloakOptions keycloak, PolicyOptions policies)
    {
        oidc.Authority = RealmUrl(keycloak, realm);
        oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        oidc.AutomaticRefreshInterval = KeysRefresh;
        oidc.RefreshInterval = KeysRefreshOnUnknownKey;
        oidc.ClientId = settings.PageClientId;
        oidc.ClientSecret = settings.PageClientSecret;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        oidc.SignInScheme = AdminRealms.CookieScheme(realm);
        oidc.CallbackPath = PathString.FromUriComponent($"/admin/realms/{Uri.EscapeDataString(realm)}/signin-oidc");
        oidc.SignedOutCallbackPath = PathString.FromUriComponent($"/admin/realms/{Uri.EscapeDataString(realm)}/signout-callback-oidc");
        oidc.TokenValidationParameters.AuthenticationType = AdminRealms.IdentityType(realm);
        oidc.MapInboundClaims = false;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        if (settings.IssuerOf(realm) is { } issuer)
        {
            oidc.TokenValidationParameters.ValidIssuer = issuer;
        }

        var publicBase = policies.PublicBaseUrl.ToString().TrimEnd('/');
        oidc.Events.OnRedirectToIdentityProvider = context =>
        {
            context.ProtocolMessage.RedirectUri = publicBase + oidc.CallbackPath;
            return Task.CompletedTask;
        };
        oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            // Keycloak ends its session for this client and returns only to a registered URI; client_id names the client
            // when the ID token (the usual hint) is missing.
            context.ProtocolMessage.PostLogoutRedirectUri = publicBase + oidc.SignedOutCallbackPath;
            context.ProtocolMessage.ClientId = settings.PageClientId;
            return Task.CompletedTask;
        };
        oidc.Events.OnTokenValidated = context =>
        {
            // Keycloak puts roles in the access token, not the ID token. The access token came straight from the token
            // endpoint over the back channel, in the same exchange as the validated ID token: its claims can be read.
            if (context.TokenEndpointResponse?.AccessToken is { } accessToken && context.Principal?.Identity is ClaimsIdentity identity)
            {
                var token = new JsonWebToken(accessToken);
                foreach (var name in new[] { "realm_access", "resource_access" })
                {
                    if (token.TryGetPayloadValue<JsonElement>(name, out var value))
                    {
                        identity.AddClaim(new Claim(name, value.GetRawText(), value.ValueKind == JsonValueKind.Object ? JsonClaimValueTypes.Json : ClaimValueTypes.String));
                    }
                }
            }

            // Only the ID token is kept (SaveTokens would keep the access and refresh tokens too): sign-out sends it to
            // Keycloak as id_token_hint, so the session ends without a confirmation page.
            if ((context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage?.IdToken) is { Length: > 0 } idToken && context.Properties is { } properties)
            {
                properties.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
            }

            return Task.CompletedTask;
        };
    }
}
