using System.Security.Claims;
using System.Text.Json.Nodes;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Service.Rollouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The rollouts of the admin API: list, status, start and cancel; a rollout's refused, re-marked or exempted users
/// (paged JSON, or all as CSV), a retry of the refused ones, and exemptions. The service's <see cref="RolloutWorker"/>
/// runs what is started here; a start wakes it at once.
/// </summary>
internal static class RolloutEndpoints
{
    /// <summary>How many failed, re-marked and exempted users a status shows (all of them: <c>GET .../users</c>).</summary>
    public const int UsersShown = 20;

    private const int DefaultUsersPerPage = 100;
    private const int MaxUsersPerPage = 1000;

    public static void MapRollouts(this RouteGroupBuilder admin)
    {
        var rollouts = admin.MapGroup("/realms/{realm}/rollouts");
        rollouts.MapGet("/", ListAsync);
        rollouts.MapGet("/{policy}/{version:int}", GetAsync);
        rollouts.MapPost("/{policy}/{version:int}/cancel", CancelAsync);
        rollouts.MapGet("/{policy}/{version:int}/users", UsersAsync);
        rollouts.MapPost("/{policy}/{version:int}/retry", RetryAsync);
        rollouts.MapPost("/{policy}/{version:int}/exemptions", ExemptAsync);
        admin.MapPost("/realms/{realm}/policies/{policy}/versions/{version:int}/rollout", StartAsync);
    }

    private static async Task<Ok<IEnumerable<RolloutStatusReport>>> ListAsync(string realm, IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(realm, cancellationToken).ConfigureAwait(false)).Select(rollout => RolloutStatusReport.From(rollout)));

    private static async Task<Results<Ok<RolloutStatusReport>, ProblemHttpResult>> GetAsync(
        string realm, string policy, int version, IRolloutStore store, CancellationToken cancellationToken)
    {
        var rollout = await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false);
        return rollout is null
            ? NoRollout(realm, policy, version)
            : TypedResults.Ok(await StatusAsync(store, rollout, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Created<RolloutStatusReport>, Ok<RolloutStatusReport>, Ok<BridgeDeliveryReport>, ProblemHttpResult>> StartAsync(
        string realm, string policy, int version, ClaimsPrincipal user, RolloutService rollouts, IRolloutStore store,
        RolloutSignal signal, CancellationToken cancellationToken)
    {
        Rollout rollout;
        bool created;
        try
        {
            var outcome = await rollouts.StartOrDeliverAsync(realm, policy, version, $"admin-api:{NameOf(user)}", cancellationToken).ConfigureAwait(false);
            if (outcome.Bridge is { } bridge)
            {
                // The realm uses the required-action bridge: nothing was started and no user written.
                return TypedResults.Ok(BridgeDeliveryReport.From(bridge));
            }

            (rollout, created) = (outcome.Rollout!, outcome.Created);
        }
        catch (RolloutException refused)
        {
            return RolloutProblem.From(refused);
        }
        catch (KeycloakException exception)
        {
            return AdminEndpoints.Problem(StatusCodes.Status502BadGateway, "Keycloak did not answer as expected", exception.Message);
        }

        signal.Pulse();
        var status = await StatusAsync(store, rollout, cancellationToken).ConfigureAwait(false);
        return created
            ? TypedResults.Created(
                $"/api/admin/realms/{Uri.EscapeDataString(realm)}/rollouts/{Uri.EscapeDataString(policy)}/{rollout.VersionNumber}", status)
            : TypedResults.Ok(status);
    }

    private static async Task<Results<Ok<RolloutStatusReport>, ProblemHttpResult>> CancelAsync(
        string realm, string policy, int version, ClaimsPrincipal user, RolloutService rollouts, IRolloutStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return NoRollout(realm, policy, version);
        }

        try
        {
            rollout = await rollouts.CancelAsync(rollout, $"Cancelled by {NameOf(user)} through the admin API.", cancellationToken).ConfigureAwait(false);
        }
        catch (RolloutException refused)
        {
            return RolloutProblem.From(refused);
        }

        return TypedResults.Ok(await StatusAsync(store, rollout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>?outcome=failed|remarked|exempted&amp;after=&lt;user id&gt;&amp;max=100</c>: one page in user-id order with the
    /// cursor of the next (<c>next</c>, null at the end); <c>format=csv</c>: all of them, streamed, with the columns of
    /// <c>idpbridge rollout users --format csv</c>.
    /// </summary>
    private static async Task<IResult> UsersAsync(
        string realm, string policy, int version, string? outcome, string? after, int? max, string? format, HttpContext http, IRolloutStore store,
        CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<RolloutUserKind>(outcome ?? "failed", ignoreCase: true, out var kind) || int.TryParse(outcome, out _))
        {
            return AdminEndpoints.Problem(StatusCodes.Status400BadRequest, "Unknown outcome", "outcome is failed, remarked or exempted.");
        }

        if (format is not (null or "json" or "csv"))
        {
            return AdminEndpoints.Problem(StatusCodes.Status400BadRequest, "Unknown format", "format is json or csv.");
        }

        if (max is < 1 or > MaxUsersPerPage)
        {
            return AdminEndpoints.Problem(StatusCodes.Status400BadRequest, "Bad page size", $"max is between 1 and {MaxUsersPerPage}.");
        }

        if (await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return NoRollout(realm, policy, version);
        }

        if (format == "csv")
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition =
                $"attachment; filename=\"rollout-{Uri.EscapeDataString(realm)}-{Uri.EscapeDataString(policy)}-{version}-{kind.ToString().ToLowerInvariant()}.csv\"";
            http.Response.Headers.CacheControl = "no-store";
            await RolloutUserExport.WriteCsvAsync(RolloutUserExport.ReadAllAsync(store, rollout.Id, kind, cancellationToken), http.Response.Body, null, cancellationToken)
                .ConfigureAwait(false);
            return TypedResults.Empty;
        }

        var size = max ?? DefaultUsersPerPage;
        var page = await store.ListUsersAsync(rollout.Id, kind, after, size, cancellationToken).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new JsonObject
        {
            ["outcome"] = kind.ToString().ToLowerInvariant(),
            ["users"] = new JsonArray([.. page.Select(user => (JsonNode?)RolloutUserExport.ToJson(user))]),
            ["next"] = page.Count == size ? page[^1].UserId : null,
        });
    }

    private static async Task<Results<Ok<RolloutRetryReport>, ProblemHttpResult>> RetryAsync(
        string realm, string policy, int version, IRolloutStore store, RolloutRetry retry, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return NoRollout(realm, policy, version);
        }

        var result = await retry.RetryAsync(rollout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(RolloutRetryReport.From(result, await StatusAsync(store, result.Rollout, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<RolloutExemptionReport>, ProblemHttpResult>> ExemptAsync(
        string realm, string policy, int version, ExemptionRequest? body, ClaimsPrincipal user, IRolloutStore store, RolloutExemptions exemptions,
        CancellationToken cancellationToken)
    {
        if (body is not { User.Length: > 0, Reason.Length: > 0 })
        {
            return AdminEndpoints.Problem(StatusCodes.Status400BadRequest, "Incomplete exemption", "Send {\"user\": \"<id or username>\", \"reason\": \"...\"}.");
        }

        if (await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return NoRollout(realm, policy, version);
        }

        try
        {
            var result = await exemptions.ExemptAsync(rollout, body.User, body.Reason, $"admin-api:{NameOf(user)}", cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(ExemptionAnswer.From(result));
        }
        catch (RolloutException refused)
        {
            return RolloutProblem.From(refused);
        }
    }

    private static Task<RolloutStatusReport> StatusAsync(IRolloutStore store, Rollout rollout, CancellationToken cancellationToken) =>
        RolloutStatusReport.ReadAsync(store, rollout, UsersShown, cancellationToken);

    private static ProblemHttpResult NoRollout(string realm, string policy, int version) =>
        RolloutProblem.From(new RolloutException(RolloutRefusal.NoSuchRollout, new RolloutRefusalFacts(realm, policy, version)));

    /// <summary>The administrator as the token names them (Keycloak's <c>preferred_username</c>, else the subject).</summary>
    private static string NameOf(ClaimsPrincipal user) =>
        user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";

    /// <summary>The body of <c>POST .../exemptions</c>.</summary>
    internal sealed record ExemptionRequest(string? User, string? Reason);
}
