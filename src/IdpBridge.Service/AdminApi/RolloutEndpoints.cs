using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IdpBridge.Core.Policies;
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
    /// <summary>How many failed users a status shows (all of them: <c>GET .../users</c>).</summary>
    public const int FailuresShown = 20;

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

    private static async Task<Ok<IEnumerable<RolloutStatusBody>>> ListAsync(string realm, IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(realm, cancellationToken).ConfigureAwait(false)).Select(rollout => RolloutStatusBody.From(rollout, null)));

    private static async Task<Results<Ok<RolloutStatusBody>, ProblemHttpResult>> GetAsync(
        string realm, string policy, int version, IRolloutStore store, CancellationToken cancellationToken)
    {
        var rollout = await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false);
        return rollout is null
            ? NoRollout(realm, policy, version)
            : TypedResults.Ok(await StatusAsync(store, rollout, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Created<RolloutStatusBody>, Ok<RolloutStatusBody>, Ok<BridgeDeliveryBody>, ProblemHttpResult>> StartAsync(
        string realm, string policy, int version, ClaimsPrincipal user, RolloutService rollouts, IPolicyStore policies, IRolloutStore store,
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
                return TypedResults.Ok(BridgeDeliveryBody.From(bridge));
            }

            (rollout, created) = (outcome.Rollout!, outcome.Created);
        }
        catch (RolloutException exception)
        {
            // The message says what to fix; the status says whether retrying can help (409: once the realm or the
            // time is right) or not (404, 422).
            return await policies.GetAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) switch
            {
                null => AdminEndpoints.Problem(StatusCodes.Status404NotFound, "No such version", exception.Message),
                { Kind: PolicyVersionKind.Minor } => AdminEndpoints.Problem(StatusCodes.Status422UnprocessableEntity, "Not a material version", exception.Message),
                _ => AdminEndpoints.Problem(StatusCodes.Status409Conflict, "The rollout cannot start", exception.Message),
            };
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

    private static async Task<Results<Ok<RolloutStatusBody>, ProblemHttpResult>> CancelAsync(
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
        catch (RolloutException exception)
        {
            return AdminEndpoints.Problem(StatusCodes.Status409Conflict, "The rollout is not running", exception.Message);
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

    private static async Task<Results<Ok<RetryBody>, ProblemHttpResult>> RetryAsync(
        string realm, string policy, int version, IRolloutStore store, RolloutRetry retry, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(realm, policy, version, cancellationToken).ConfigureAwait(false) is not { } rollout)
        {
            return NoRollout(realm, policy, version);
        }

        var result = await retry.RetryAsync(rollout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RetryBody(
            result.Retried, result.Marked, result.Settled, result.StillFailed, result.Stopped, await StatusAsync(store, result.Rollout, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<ExemptionBody>, ProblemHttpResult>> ExemptAsync(
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
            return TypedResults.Ok(new ExemptionBody(
                result.UserId, result.Username, result.Was is { } was ? RolloutUserExport.Describe(was) : null, result.ActionRemoved, result.Message, result.Rollout.Counts));
        }
        catch (RolloutException exception)
        {
            return AdminEndpoints.Problem(StatusCodes.Status409Conflict, "The user cannot be exempted", exception.Message);
        }
    }

    private static async Task<RolloutStatusBody> StatusAsync(IRolloutStore store, Rollout rollout, CancellationToken cancellationToken)
    {
        var failures = rollout.Counts.Failed == 0
            ? []
            : await store.ListFailuresAsync(rollout.Id, FailuresShown, cancellationToken).ConfigureAwait(false);
        return RolloutStatusBody.From(rollout, failures);
    }

    private static ProblemHttpResult NoRollout(string realm, string policy, int version) =>
        AdminEndpoints.Problem(StatusCodes.Status404NotFound, "No such rollout", $"Version {version} of '{policy}' in realm '{realm}' has no rollout.");

    /// <summary>The administrator as the token names them (Keycloak's <c>preferred_username</c>, else the subject).</summary>
    private static string NameOf(ClaimsPrincipal user) =>
        user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";

    /// <summary>A rollout as the admin API shows it: the stored fields, the progress of the current walk, and (status only) the first failures.</summary>
    internal sealed record RolloutStatusBody(
        long Id,
        string Realm,
        string Policy,
        int VersionNumber,
        string ContentHash,
        DateTimeOffset StartedAt,
        string StartedBy,
        string Status,
        string Phase,
        ScanCursor Cursor,
        long? UsersTotal,
        RolloutCounts Counts,
        double? Progress,
        string? LeaseOwner,
        DateTimeOffset? LeaseUntil,
        DateTimeOffset UpdatedAt,
        DateTimeOffset? FinishedAt,
        string? Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FailureBody>? Failures)
    {
        public static RolloutStatusBody From(Rollout rollout, IReadOnlyList<UserResult>? failures) => new(
            rollout.Id,
            rollout.Realm,
            rollout.Policy,
            rollout.VersionNumber,
            rollout.ContentHash,
            rollout.StartedAt,
            rollout.StartedBy,
            RolloutService.Describe(rollout.Status),
            RolloutService.Describe(rollout.Phase),
            rollout.Cursor,
            rollout.UsersTotal,
            rollout.Counts,
            ProgressOf(rollout),
            rollout.LeaseOwner?.Value,
            rollout.LeaseUntil,
            rollout.UpdatedAt,
            rollout.FinishedAt,
            rollout.Message,
            failures?.Select(failure => new FailureBody(failure.UserId, failure.Username, failure.Reason, failure.Errors)).ToList());

        /// <summary>How far the current walk is (cursor offset over the user count when it began), between 0 and 1; 1 once completed.</summary>
        private static double? ProgressOf(Rollout rollout) => rollout switch
        {
            { Status: RolloutStatus.Completed } => 1,
            { UsersTotal: null } => null,
            { UsersTotal: 0 } => 0,
            _ => Math.Min(1, (double)rollout.Cursor.Offset / rollout.UsersTotal.Value),
        };
    }

    /// <summary>A user the rollout could not mark, and why (Keycloak's field errors when its user profile refused them).</summary>
    internal sealed record FailureBody(string UserId, string? Username, string? Reason, IReadOnlyList<KeycloakFieldError>? Errors);

    /// <summary>What a retry did, and the rollout afterwards.</summary>
    internal sealed record RetryBody(int Retried, int Marked, int Settled, int StillFailed, string? Stopped, RolloutStatusBody Rollout);

    /// <summary>The body of <c>POST .../exemptions</c>.</summary>
    internal sealed record ExemptionRequest(string? User, string? Reason);

    /// <summary>What an exemption did.</summary>
    internal sealed record ExemptionBody(string UserId, string? Username, string? Was, bool ActionRemoved, string Message, RolloutCounts Counts);
}
