using System.Security.Claims;
using System.Text.Json;
using IdpBridge.Keycloak;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.AdminApi;

/// <summary>Bearer authentication against the configured Keycloak realm, and the admin-role policy.</summary>
internal static class AdminAuthentication
{
    /// <summary>The authorization policy of every admin endpoint.</summary>
    public const string AdminPolicy = "IdpBridgeAdmin";

    public static void AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AdminApiOptions>().BindConfiguration(AdminApiOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Realm), $"{AdminApiOptions.SectionName}:Realm is required: the Keycloak realm whose tokens the admin API accepts.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Audience), $"{AdminApiOptions.SectionName}:Audience must not be empty.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Role), $"{AdminApiOptions.SectionName}:Role must name the admin role.")
            .ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
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
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy =>
            policy.RequireAuthenticatedUser().AddRequirements(new KeycloakRoleRequirement()));
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
