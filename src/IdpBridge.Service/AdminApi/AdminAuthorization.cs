using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The admin requirement of every admin route: the route's realm is one this service administers, the identity was
/// issued by that same realm, and that identity (not another realm's) carries <see cref="AdminApiOptions.Role"/> as
/// Keycloak writes roles.
/// </summary>
internal sealed class AdminRequirement : IAuthorizationRequirement;

internal sealed class AdminRequirementHandler(AdminRealms realms, IOptions<AdminApiOptions> options) : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        var route = context.Resource is HttpContext http ? AdminRealms.RouteRealm(http) : null;
        var issued = context.User.Identities.Where(identity => AdminRealms.RealmOf(identity) is not null).ToList();
        if (route is not null && !realms.Serves(route))
        {
            context.Fail(new AuthorizationFailureReason(this, $"This service administers {realms.Described}, not realm '{route}'."));
            return Task.CompletedTask;
        }

        var own = issued.Where(identity => route is null || AdminRealms.RealmOf(identity) == route).ToList();
        if (own.Count == 0 && issued.Count > 0)
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"This service administers {realms.Described}; a token of realm '{AdminRealms.RealmOf(issued[0])}' is good for that realm only, not for realm '{route}'."));
            return Task.CompletedTask;
        }

        if (own.Any(identity => KeycloakRoles.Has(identity, options.Value.Role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Roles as Keycloak writes them in an access token: <c>realm_access.roles</c>, <c>resource_access.{client}.roles</c>.</summary>
internal static class KeycloakRoles
{
    /// <summary>Whether <paramref name="identity"/> has <paramref name="role"/> (<c>name</c>, or <c>client/name</c> for a client role).</summary>
    public static bool Has(ClaimsIdentity identity, string role)
    {
        var separator = role.IndexOf('/', StringComparison.Ordinal);
        var (claim, path, name) = separator < 0
            ? ("realm_access", (string?)null, role)
            : ("resource_access", role[..separator], role[(separator + 1)..]);
        // Only a JSON object claim, as Keycloak writes it: a string that happens to hold the same JSON is not Keycloak's.
        foreach (var value in identity.FindAll(claim).Where(found => found.ValueType == JsonClaimValueTypes.Json).Select(found => found.Value))
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

/// <summary>
/// Answers a realm refusal of <see cref="AdminRequirementHandler"/> with a 403 problem that names the realms this
/// service administers (a caller with the wrong realm learns where its token is good); every other outcome as usual.
/// </summary>
internal sealed class AdminRefusalResultHandler(AdminRealms realms) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault(reason => reason.Handler is AdminRequirementHandler) is { } refusal)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers.CacheControl = "no-store";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Not a realm this token administers",
                    Detail = refusal.Message,
                    Extensions = { ["realms"] = realms.Names },
                },
            }).ConfigureAwait(false);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
