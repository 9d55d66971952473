using System.Security.Claims;
using System.Text.Json.Serialization;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Service.Rollouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The rollouts of the admin API: list, status, start and cancel. The service's <see cref="RolloutWorker"/> runs what
/// is started here; a start wakes it at once.
/// </summary>
internal static class RolloutEndpoints
{
    /// <summary>How many failed users a status shows.</summary>
    public const int FailuresShown = 20;

    public static void MapRollouts(this RouteGroupBuilder admin)
    {
        var rollouts = admin.MapGroup("/realms/{realm}/rollouts");
        rollouts.MapGet("/", ListAsync);
        rollouts.MapGet("/{policy}/{version:int}", GetAsync);
        rollouts.MapPost("/{policy}/{version:int}/cancel", CancelAsync);
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

    private static async Task<Results<Created<RolloutStatusBody>, Ok<RolloutStatusBody>, ProblemHttpResult>> StartAsync(
        string realm, string policy, int version, ClaimsPrincipal user, RolloutService rollouts, IPolicyStore policies, IRolloutStore store,
        RolloutSignal signal, CancellationToken cancellationToken)
    {
        Rollout rollout;
        bool created;
        try
        {
            (rollout, created) = await rollouts.StartAsync(realm, policy, version, $"admin-api:{NameOf(user)}", cancellationToken).ConfigureAwait(false);
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
            rollout.LeaseOwner,
            rollout.LeaseUntil,
            rollout.UpdatedAt,
            rollout.FinishedAt,
            rollout.Message,
            failures?.Select(failure => new FailureBody(failure.UserId, failure.Username, failure.Reason)).ToList());

        /// <summary>How far the current walk is (cursor offset over the user count when it began), between 0 and 1; 1 once completed.</summary>
        private static double? ProgressOf(Rollout rollout) => rollout switch
        {
            { Status: RolloutStatus.Completed } => 1,
            { UsersTotal: null } => null,
            { UsersTotal: 0 } => 0,
            _ => Math.Min(1, (double)rollout.Cursor.Offset / rollout.UsersTotal.Value),
        };
    }

    /// <summary>A user the rollout could not mark, and why.</summary>
    internal sealed record FailureBody(string UserId, string? Username, string? Reason);
}
