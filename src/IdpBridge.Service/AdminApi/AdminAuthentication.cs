using System.Security.Claims;
using System.Text.Json;
using IdpBridge.Keycloak;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.AdminApi;

/// <summary>Bearer authentication against the configured Keycloak realm, and the admin-role policy.</summary>
internal static class AdminAuthentication
{
    /// <summary>The authorization policy of every admin endpoint.</summary>
    public const string AdminPolicy = "IdpBridgeAdmin";

    /// <summary>The authorization policy of the admin pages: a bearer token, or a browser's sign-in cookie.</summary>
    public const string AdminPagePolicy = "IdpBridgeAdminPage";

    private const string PageScheme = "IdpBridgeAdminPage";
    private const string CookieScheme = "IdpBridgeAdminCookie";
    private const string OidcScheme = "IdpBridgeAdminOidc";

    /// <summary>
    /// Bearer tokens for the API; for the pages also a cookie, and Keycloak sign-in when
    /// <see cref="AdminApiOptions.PageClientId"/> is configured (read now: a sign-in scheme exists only when it can work).
    /// </summary>
    public static void AddAdminAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminApiOptions>, AdminApiOptionsValidator>());
        services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.SectionName).ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddPolicyScheme(PageScheme, "Admin pages", scheme => scheme.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieScheme)
            .AddCookie(CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<AdminApiOptions>>(ConfigurePageCookie);
        if (!string.IsNullOrWhiteSpace(configuration[$"{AdminApiOptions.SectionName}:{nameof(AdminApiOptions.PageClientId)}"]))
        {
            services.AddAuthentication().AddOpenIdConnect(OidcScheme, _ => { });
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<AdminApiOptions>, IOptions<KeycloakOptions>>(ConfigurePageSignIn);
        }
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminApiOptions>, IOptions<KeycloakOptions>>((bearer, admin, keycloak) =>
            {
                var settings = admin.Value;
                var baseUrl = keycloak.Value.Url!.ToString().TrimEnd('/');
                bearer.Authority = $"{baseUrl}/realms/{Uri.EscapeDataString(settings.Realm)}";
                bearer.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters.ValidateIssuer = true;
                if (!string.IsNullOrEmpty(settings.ValidIssuer))
                {
                    bearer.TokenValidationParameters.ValidIssuer = settings.ValidIssuer;
                }

                bearer.TokenValidationParameters.ValidateAudience = true;
                bearer.TokenValidationParameters.ValidAudience = settings.Audience;
                bearer.TokenValidationParameters.ValidateLifetime = true;
                bearer.TokenValidationParameters.RequireExpirationTime = true;
                bearer.TokenValidationParameters.ClockSkew = settings.ClockSkew;
                bearer.TokenValidationParameters.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "ES256"];
            });

        services.AddSingleton<IAuthorizationHandler, KeycloakRoleHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new KeycloakRoleRequirement()))
            .AddPolicy(AdminPagePolicy, policy => policy.AddAuthenticationSchemes(PageScheme).RequireAuthenticatedUser().AddRequirements(new KeycloakRoleRequirement()));
    }

    /// <summary>
    /// A short-lived, HTTP-only cookie scoped to <c>/admin</c>. Without one, a browser is sent to Keycloak's sign-in when
    /// a page client is configured, and gets 401 with a bearer challenge otherwise; a signed-in user without the admin
    /// role gets 403.
    /// </summary>
    private static void ConfigurePageCookie(CookieAuthenticationOptions cookie, IOptions<AdminApiOptions> admin)
    {
        cookie.Cookie.Name = "idpbridge_admin";
        cookie.Cookie.Path = "/admin";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        cookie.SlidingExpiration = false;
        cookie.Events.OnRedirectToLogin = context =>
        {
            if (!string.IsNullOrEmpty(admin.Value.PageClientId))
            {
                return context.HttpContext.ChallengeAsync(OidcScheme, new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString });
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

    /// <summary>Keycloak sign-in for the pages: authorization code with PKCE, the roles copied from the access token.</summary>
    private static void ConfigurePageSignIn(OpenIdConnectOptions oidc, IOptions<AdminApiOptions> admin, IOptions<KeycloakOptions> keycloak)
    {
        var settings = admin.Value;
        oidc.Authority = $"{keycloak.Value.Url!.ToString().TrimEnd('/')}/realms/{Uri.EscapeDataString(settings.Realm)}";
        oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        oidc.ClientId = settings.PageClientId;
        oidc.ClientSecret = settings.PageClientSecret;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        oidc.SignInScheme = CookieScheme;
        oidc.CallbackPath = "/admin/signin-oidc";
        oidc.MapInboundClaims = false;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        if (!string.IsNullOrEmpty(settings.ValidIssuer))
        {
            oidc.TokenValidationParameters.ValidIssuer = settings.ValidIssuer;
        }

        oidc.Events.OnTokenValidated = context =>
        {
            // Keycloak puts roles in the access token, not the ID token. The access token came straight from the token
            // endpoint over the back channel, in the same exchange as the validated ID token: its claims can be read.
            if (context.TokenEndpointResponse?.AccessToken is { } accessToken && context.Principal?.Identity is ClaimsIdentity identity)
            {
                var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(accessToken);
                foreach (var name in new[] { "realm_access", "resource_access" })
                {
                    if (token.TryGetPayloadValue<JsonElement>(name, out var value))
                    {
                        identity.AddClaim(new Claim(name, value.GetRawText(), "JSON"));
                    }
                }
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>The token must carry <see cref="AdminApiOptions.Role"/> as Keycloak writes roles.</summary>
    private sealed class KeycloakRoleRequirement : IAuthorizationRequirement;

    private sealed class KeycloakRoleHandler(IOptions<AdminApiOptions> options) : AuthorizationHandler<KeycloakRoleRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KeycloakRoleRequirement requirement)
        {
            if (HasRole(context.User, options.Value.Role))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }

        private static bool HasRole(ClaimsPrincipal user, string role)
        {
            var separator = role.IndexOf('/', StringComparison.Ordinal);
            var (claim, path, name) = separator < 0
                ? ("realm_access", (string?)null, role)
                : ("resource_access", role[..separator], role[(separator + 1)..]);
            foreach (var value in user.FindAll(claim).Select(found => found.Value))
            {
                try
                {
                    using var document = JsonDocument.Parse(value);
                    var container = path is null ? document.RootElement : document.RootElement.TryGetProperty(path, out var client) ? client : default;
                    if (container.ValueKind == JsonValueKind.Object
                        && container.TryGetProperty("roles", out var roles)
                        && roles.ValueKind == JsonValueKind.Array
                        && roles.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == name))
                    {
                        return true;
                    }
                }
                catch (JsonException)
                {
                    // A malformed role claim grants nothing.
                }
            }

            return false;
        }
    }
}
