using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger;

/// <summary>One day of a version's acceptance curve.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="AcceptedEnabledUsers">Enabled users who had accepted the version by the end of that day.</param>
/// <param name="Share">That number over today's enabled users, 0 to 1.</param>
public sealed record SharePoint(DateOnly Day, long AcceptedEnabledUsers, double Share);

/// <summary>Where a policy version stands: the ledger's tally and today's users in Keycloak.</summary>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The terms policy.</param>
/// <param name="Version">The version number.</param>
/// <param name="ContentHash">Its content hash.</param>
/// <param name="EffectiveAt">When it took (or takes) effect.</param>
/// <param name="InForce">Whether it is the version in force now.</param>
/// <param name="AcceptedUsers">Distinct users who accepted it (any user, enabled or not, still existing or not).</param>
/// <param name="DeclinedUsers">Distinct users who declined it and have not accepted it since.</param>
/// <param name="PendingUsers">Enabled users who carry the terms action now (asked at their next login).</param>
/// <param name="EnabledUsers">Enabled users in the realm now (service accounts excluded, as Keycloak lists users).</param>
/// <param name="EnabledAccepted">Of those, how many accepted the version.</param>
/// <param name="Share"><paramref name="EnabledAccepted"/> over <paramref name="EnabledUsers"/>, 0 to 1.</param>
/// <param name="Series">The share day by day since the version took effect (today's enabled users as the base).</param>
public sealed record VersionReport(
    string Realm,
    string Policy,
    int Version,
    string ContentHash,
    DateTimeOffset EffectiveAt,
    bool InForce,
    long AcceptedUsers,
    long DeclinedUsers,
    long PendingUsers,
    long EnabledUsers,
    long EnabledAccepted,
    double Share,
    IReadOnlyList<SharePoint> Series)
{
    /// <summary>Distinct users who acknowledged the version (a notice: shown once, with only "continue").</summary>
    public long AcknowledgedUsers { get; init; }
}

/// <summary>Answers "how far has this version got": the ledger joined with one walk over the realm's users.</summary>
public sealed class LedgerReport(
    KeycloakAdminClient keycloak, IAcceptanceLedger ledger, IPolicyStore policies, IOptions<PolicyOptions> policyOptions, TimeProvider time)
{
    /// <summary>The terms policy's version <paramref name="number"/> (default: the one in force now); null when there is none.</summary>
    public async Task<VersionReport?> ForVersionAsync(string realm, int? number, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        var policy = policyOptions.Value.TermsPolicy;
        var now = time.GetUtcNow();
        var current = await policies.GetEffectiveAsync(realm, policy, now, cancellationToken).ConfigureAwait(false);
        var version = number is { } wanted
            ? await policies.GetAsync(realm, policy, wanted, cancellationToken).ConfigureAwait(false)
            : current;
        if (version is null)
        {
            return null;
        }

        var enabled = new HashSet<string>(StringComparer.Ordinal);
        long pending = 0;
        await foreach (var user in keycloak.StreamUsersAsync(realm, UserQuery.All, KeycloakAdminClient.DefaultPageSize, cancellationToken).ConfigureAwait(false))
        {
            if (user is { Enabled: true, Id: { Length: > 0 } id })
            {
                enabled.Add(id);
                if (user.RequiredActions?.Contains(AcceptanceEvents.TermsAction, StringComparer.Ordinal) == true)
                {
                    pending++;
                }
            }
        }

        var perDay = new SortedDictionary<DateOnly, long>();
        long enabledAccepted = 0;
        await foreach (var (userId, acceptedAt) in ledger.FirstAcceptancesAsync(realm, policy, version.Number, cancellationToken).ConfigureAwait(false))
        {
            if (enabled.Contains(userId))
            {
                enabledAccepted++;
                var day = DateOnly.FromDateTime(acceptedAt.UtcDateTime);
                perDay[day] = perDay.GetValueOrDefault(day) + 1;
            }
        }

        var tally = await ledger.TallyAsync(realm, policy, version.Number, cancellationToken).ConfigureAwait(false);
        return new VersionReport(
            realm, policy, version.Number, version.ContentHash, version.EffectiveAt, current?.Number == version.Number,
            tally.AcceptedUsers, tally.DeclinedUsers, pending, enabled.Count, enabledAccepted,
            Ratio(enabledAccepted, enabled.Count), Series(version.EffectiveAt, now, perDay, enabled.Count))
        {
            AcknowledgedUsers = tally.AcknowledgedUsers,
        };
    }

    private static List<SharePoint> Series(DateTimeOffset effectiveAt, DateTimeOffset now, SortedDictionary<DateOnly, long> perDay, long enabled)
    {
        var first = DateOnly.FromDateTime(effectiveAt.UtcDateTime);
        if (perDay.Count > 0 && perDay.Keys.First() < first)
        {
            // Timestamps reconciled from before the version took effect cannot be acceptances of it; they are not, but
            // a clock a little ahead can put an event there: start the curve where the data starts.
            first = perDay.Keys.First();
        }

        var last = DateOnly.FromDateTime(now.UtcDateTime);
        var points = new List<SharePoint>();
        long total = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            total += perDay.GetValueOrDefault(day);
            points.Add(new SharePoint(day, total, Ratio(total, enabled)));
        }

        return points;
    }

    private static double Ratio(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
