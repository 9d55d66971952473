using System.Globalization;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Rollouts;

/// <summary>
/// How the rollout commands show a rollout: its state and counts, the cap on requests in flight it ran under, the users Keycloak refused (field, reason, username,
/// id), the users the closing sweep re-marked and the exempted ones, and what to do next.
/// </summary>
internal static class RolloutReport
{
    /// <summary>Users of each kind a run's text output shows (status shows them all).</summary>
    private const int ShownAfterARun = 20;

    /// <summary>
    /// Prints the rollout (to standard output; hints to standard error) and returns the exit code: 0, or 3 when a run
    /// <paramref name="end"/>ed before the rollout did. <paramref name="full"/>: every listed user in the text output
    /// (JSON always lists them all).
    /// </summary>
    public static async Task<int> WriteAsync(
        CliContext context, ServiceProvider provider, bool json, Rollout rollout, RunEnd? end, string? message, bool full)
    {
        var store = provider.GetRequiredService<IRolloutStore>();
        var failed = await ListAsync(store, rollout, RolloutUserKind.Failed, rollout.Counts.Failed).ConfigureAwait(false);
        var remarked = await ListAsync(store, rollout, RolloutUserKind.Remarked, rollout.Counts.Remarked).ConfigureAwait(false);
        var exempted = await ListAsync(store, rollout, RolloutUserKind.Exempted, rollout.Counts.Exempted).ConfigureAwait(false);
        var code = end switch
        {
            null or RunEnd.Completed or RunEnd.NotRunning => IdpBridgeCommand.ExitCodes.Success,
            _ => IdpBridgeCommand.ExitCodes.Incomplete,
        };
        if (json)
        {
            var report = RolloutStatusReport.From(rollout, failed, remarked, exempted) with { Run = end is { } ended ? new RolloutRunReport(ended, message) : null };
            await context.Output.WriteLineAsync(CliJson.Serialize(report)).ConfigureAwait(false);
            return code;
        }

        var counts = rollout.Counts;
        var output = context.Output;
        await output.WriteLineAsync(
            $"Rollout of {Name(rollout)}: {RolloutService.Describe(rollout.Status)}, phase {RolloutService.Describe(rollout.Phase)}.").ConfigureAwait(false);
        await output.WriteLineAsync(
            $"  started    {Time(rollout.StartedAt)} by {rollout.StartedBy}{(rollout.FinishedAt is { } finished ? $", finished {Time(finished)}" : "")}")
            .ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  users      {counts.Scanned:N0} handled of about {rollout.UsersTotal ?? counts.Scanned:N0}: " +
            $"{counts.Marked:N0} marked{(counts.Remarked > 0 ? $" ({counts.Remarked:N0} re-marked by the closing sweep)" : "")}, " +
            $"{counts.AlreadyPending:N0} already pending, {counts.AlreadyAccepted:N0} already accepted, {counts.Skipped:N0} skipped, " +
            $"{counts.Failed:N0} failed{(counts.Exempted > 0 ? $", {counts.Exempted:N0} exempted" : "")}")).ConfigureAwait(false);
        if (rollout.LeaseOwner is { } owner)
        {
            await output.WriteLineAsync($"  executor   {owner}, lease until {Time(rollout.LeaseUntil!.Value)}").ConfigureAwait(false);
        }

        if (rollout.InFlight is { } inFlight)
        {
            await output.WriteLineAsync($"  in flight  {InFlightText.Describe(inFlight, rollout.UpdatedAt)}").ConfigureAwait(false);
        }

        if ((message ?? rollout.Message) is { } note)
        {
            await output.WriteLineAsync($"  note       {note}").ConfigureAwait(false);
        }

        var which = Which(rollout);
        await ListAsync(output, "failed", failed, full, user => user.Reason ?? "refused by Keycloak", $"idpbridge rollout users {which}").ConfigureAwait(false);
        await ListAsync(output, "re-marked", remarked, full,
            user => $"the closing sweep found the action gone and put it back{(user.Remarked > 1 ? $" ({user.Remarked} times)" : "")}",
            $"idpbridge rollout users {which} --outcome remarked").ConfigureAwait(false);
        await ListAsync(output, "exempted", exempted, full, user => user.Reason ?? "", $"idpbridge rollout users {which} --outcome exempted").ConfigureAwait(false);

        if (counts.Failed > 0)
        {
            await context.Error.WriteLineAsync(
                $"Keycloak refused {counts.Failed:N0} users, most often for stored data the realm's user profile no longer accepts (a name with a " +
                "newline or a quote, an invalid email). Fix each one in Keycloak's admin console (Users, the user, the field named above), then " +
                $"run: idpbridge rollout retry {which}\nA spreadsheet of them: idpbridge rollout users {which} --format csv --file refused.csv")
                .ConfigureAwait(false);
        }

        if (end == RunEnd.Busy)
        {
            await context.Error.WriteLineAsync(
                $"Another executor (the IdpBridge service, or another machine) is running this rollout. Follow it with: idpbridge rollout status {which}")
                .ConfigureAwait(false);
        }
        else if (code == IdpBridgeCommand.ExitCodes.Incomplete)
        {
            await context.Error.WriteLineAsync($"The rollout is not finished. Continue it with: idpbridge rollout resume {which}").ConfigureAwait(false);
        }

        return code;
    }

    /// <summary><c>--realm R --policy P --version N</c>: how the commands name this rollout.</summary>
    public static string Which(Rollout rollout) => $"--realm {rollout.Realm} --policy {rollout.Policy} --version {rollout.VersionNumber}";

    public static string Name(Rollout rollout) => $"{rollout.Realm}/{rollout.Policy} version {rollout.VersionNumber}";

    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<RolloutUser>> ListAsync(IRolloutStore store, Rollout rollout, RolloutUserKind kind, long count) =>
        count == 0 ? [] : await RolloutUserExport.ReadAllAsync(store, rollout.Id, kind).ToListAsync().ConfigureAwait(false);

    private static async Task ListAsync(
        TextWriter output, string label, IReadOnlyList<RolloutUser> users, bool full, Func<RolloutUser, string> what, string listCommand)
    {
        foreach (var user in full ? users : users.Take(ShownAfterARun))
        {
            await output.WriteLineAsync($"  {label,-10} {user.Username ?? user.UserId} ({user.UserId}): {what(user)}").ConfigureAwait(false);
        }

        if (!full && users.Count > ShownAfterARun)
        {
            await output.WriteLineAsync($"  ...and {users.Count - ShownAfterARun:N0} more {label} users: {listCommand}").ConfigureAwait(false);
        }
    }
}
