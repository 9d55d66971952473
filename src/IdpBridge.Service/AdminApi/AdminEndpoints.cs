using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Service.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdpBridge.Service.AdminApi;

/// <summary>The admin API, <c>/api/admin/...</c>: Keycloak bearer tokens with the admin role only.</summary>
internal static class AdminEndpoints
{
    public static void MapAdminApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AdminAuthentication.AdminPolicy);
        var policies = admin.MapGroup("/realms/{realm}/policies");
        policies.MapGet("/", ListPoliciesAsync);
        policies.MapGet("/{policy}/versions", ListVersionsAsync);
    }

    /// <summary>
    /// Counts refused admin calls (401, 403) so an operator sees probing or a misconfigured caller. Must run before
    /// authentication, which ends refused requests early.
    /// </summary>
    public static void UseAdminRejectionMetrics(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (context.Request.Path.StartsWithSegments("/api/admin", StringComparison.Ordinal)
                && context.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                context.RequestServices.GetRequiredService<IdpBridgeMetrics>().AdminRequestsRejected
                    .Add(1, new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            }
        });

    private static async Task<Ok<IReadOnlyList<string>>> ListPoliciesAsync(string realm, IPolicyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListPoliciesAsync(realm, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IEnumerable<VersionSummary>>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> ListVersionsAsync(
        string realm, string policy, IPolicyStore store, CancellationToken cancellationToken)
    {
        var versions = await store.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "No such policy",
                Detail = $"Realm '{realm}' has no published versions of policy '{policy}'.",
            });
        }

        return TypedResults.Ok(versions.Select(VersionSummary.From));
    }

    /// <summary>A version without its texts, for lists.</summary>
    internal sealed record VersionSummary(
        int Number, string Kind, DateTimeOffset PublishedAt, DateTimeOffset EffectiveAt, string ContentHash, IReadOnlyList<string> Locales)
    {
        public static VersionSummary From(PolicyVersion version) => new(
            version.Number,
            version.Kind.ToString().ToLowerInvariant(),
            version.PublishedAt,
            version.EffectiveAt,
            version.ContentHash,
            version.Texts.Select(text => text.Locale).ToList());
    }
}
