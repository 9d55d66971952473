using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Service.Diagnostics;
using IdpBridge.Service.Rollouts;
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
        policies.MapPost("/{policy}/versions", PublishAsync);
        admin.MapRollouts();
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

    private static async Task<Results<Ok<IEnumerable<PolicyVersionSummary>>, ProblemHttpResult>> ListVersionsAsync(
        string realm, string policy, IPolicyStore store, CancellationToken cancellationToken)
    {
        var versions = await store.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return Problem(StatusCodes.Status404NotFound, "No such policy", $"Realm '{realm}' has no published versions of policy '{policy}'.");
        }

        return TypedResults.Ok(versions.Select(PolicyVersionSummary.From));
    }

    private static async Task<IResult> PublishAsync(
        string realm, string policy, PublishBody body, PolicyPublisher publisher, RolloutSignal rollouts, CancellationToken cancellationToken)
    {
        if (body.Documents is not { Count: > 0 } documents)
        {
            return Problem(StatusCodes.Status400BadRequest, "No documents", "Send one document per locale: {\"documents\": [{\"name\": \"es.md\", \"content\": \"...\"}]}.");
        }

        PublishResult result;
        try
        {
            var parsed = documents.Select(document => PolicyDocumentReader.Parse(document.Content ?? "", document.Name ?? "document.md")).ToList();
            PolicyVersionKind? kind = body.Kind switch
            {
                null => null,
                var text when PolicyVersionKinds.TryParse(text, out var value) => value,
                _ => throw new PolicyDocumentException(null, null, $"kind must be {PolicyVersionKinds.Choices}, not '{body.Kind}'"),
            };
            result = await publisher.PublishAsync(parsed, new PublishRequest
            {
                Realm = realm, Policy = policy, Kind = kind, Effective = body.Effective, Summary = body.Summary,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyDocumentException exception)
        {
            return Problem(StatusCodes.Status400BadRequest, "The policy was not published", exception.Message);
        }
        catch (KeycloakException exception) when (exception.IsNotFound)
        {
            return Problem(StatusCodes.Status404NotFound, "No such realm", exception.Message);
        }

        if (result.Created)
        {
            // A material version may take effect soon: the rollout worker looks at once and then waits for that moment.
            rollouts.Pulse();
        }

        var summary = PolicyPublishReport.From(result);
        return result.Created
            ? TypedResults.Created($"/api/admin/realms/{Uri.EscapeDataString(realm)}/policies/{Uri.EscapeDataString(policy)}/versions/{result.Version.Number}", summary)
            : TypedResults.Ok(summary);
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary>The body of a publication: the documents as their files read, and the options of <c>policy publish</c>.</summary>
    internal sealed record PublishBody(string? Kind, DateTimeOffset? Effective, string? Summary, IReadOnlyList<PublishDocument>? Documents);

    /// <summary>One policy file: its name (e.g. <c>es.md</c>, which may give the locale) and its whole content.</summary>
    internal sealed record PublishDocument(string? Name, string? Content);
}
