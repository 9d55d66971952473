using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.Users;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger;

/// <summary>What one sync did.</summary>
/// <param name="EventsRead">Events Keycloak returned (an event read again in an overlap counts again).</param>
/// <param name="Recorded">New records from events (acceptances, declines, registrations).</param>
/// <param name="AlreadyRecorded">Decision events the ledger already had (overlaps, earlier syncs).</param>
/// <param name="Reconciled">New records learned from users' <c>terms_and_conditions</c> timestamps.</param>
/// <param name="EventsEnabled">Whether the realm stores events now.</param>
/// <param name="Watermark">The newest event time read so far; null while no decision event was ever read.</param>
public sealed record LedgerSyncResult(int EventsRead, int Recorded, int AlreadyRecorded, int Reconciled, bool EventsEnabled, DateTimeOffset? Watermark);

/// <summary>
/// Brings a realm's acceptance ledger up to date: reads Keycloak's terms events since the watermark (less an overlap,
/// de-duplicated by key, so none is missed or stored twice), then reconciles the users' <c>terms_and_conditions</c>
/// timestamps that no record explains (events off, filtered or expired).
/// </summary>
/// <remarks>
/// <para>
/// Keycloak pages events by offset, newest first, without a tie-breaker. New events enter at the front, which
/// only pushes what was read further back, so a walk re-reads (and the key discards) but never skips; each page also
/// re-reads <see cref="PageOverlap"/> events of the one before, and a page none of whose first events was seen
/// means the list shrank (events cleared): the walk steps back. With <see cref="EventsQueryMode.Millis"/> (26.4+)
/// the walk is a time cursor instead: oldest first from the last time read, that millisecond included.
/// </para>
/// <para>
/// Keycloak stamps an event before its transaction commits, so an event can appear after later ones were read: every
/// sync starts again <see cref="LedgerOptions.Overlap"/> before the watermark, and a timestamp is reconciled only once
/// it is older than that, lest the event still on its way be recorded twice.
/// </para>
/// </remarks>
public sealed class LedgerSync(
    KeycloakAdminClient keycloak,
    IAcceptanceLedger ledger,
    IPolicyStore policies,
    IOptions<PolicyOptions> policyOptions,
    IOptions<LedgerOptions> options,
    TimeProvider time)
{
    /// <summary>Events of the previous page each day-mode page reads again.</summary>
    public const int PageOverlap = 20;

    /// <summary>How long after a <c>terms_and_conditions</c> second its event may be stamped (the same request).</summary>
    private static readonly TimeSpan EventLag = TimeSpan.FromSeconds(60);

    /// <summary>Syncs <paramref name="realm"/>: events, then timestamps.</summary>
    public async Task<LedgerSyncResult> SyncAsync(string realm, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        var settings = options.Value;
        var started = time.GetUtcNow();
        var policy = policyOptions.Value.TermsPolicy;
        var versions = new VersionTimeline(await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false));
        var eventsConfig = await keycloak.GetEventsConfigAsync(realm, cancellationToken).ConfigureAwait(false);
        var eventsEnabled = eventsConfig.EventsEnabled == true;
        var watermark = await ledger.GetWatermarkAsync(realm, cancellationToken).ConfigureAwait(false);
        var from = watermark - settings.Overlap;

        var run = new LedgerSyncRun(keycloak, ledger, realm, policy, versions, settings.RegistrationAcceptsTerms, started);
        if (settings.EventsQuery == EventsQueryMode.Millis)
        {
            await ReadByTimeCursorAsync(run, from, settings.PageSize, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReadNewestFirstAsync(run, from, settings.PageSize, cancellationToken).ConfigureAwait(false);
        }

        if (run.Newest is { } newest && (watermark is null || newest > watermark))
        {
            await ledger.AdvanceWatermarkAsync(realm, newest, started, cancellationToken).ConfigureAwait(false);
            watermark = newest;
        }

        // With events on, a timestamp newer than the overlap may still have its event on the way.
        var horizon = eventsEnabled ? started - settings.Overlap : started;
        var reconciled = await ReconcileAsync(run, horizon, cancellationToken).ConfigureAwait(false);
        return new LedgerSyncResult(run.EventsRead, run.Recorded, run.AlreadyRecorded, reconciled, eventsEnabled, watermark);
    }

    private async Task ReadNewestFirstAsync(LedgerSyncRun run, DateTimeOffset? from, int pageSize, CancellationToken cancellationToken)
    {
        // 26.7.3 reads the day as a UTC day (DateUtil.toStartOfDay); an older server may parse it in its own time zone:
        // one more day back covers any offset.
        var dateFrom = from is { } start ? EventQuery.Day(DateOnly.FromDateTime(start.UtcDateTime.AddDays(-1))) : null;
        var overlap = Math.Min(PageOverlap, pageSize / 2);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        while (true)
        {
            var query = new EventQuery { Types = AcceptanceEvents.Types, DateFrom = dateFrom, First = offset, Max = pageSize };
            var page = await keycloak.GetEventsAsync(run.Realm, query, cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var keys = page.Select(AcceptanceEvents.Key).ToList();
            if (offset > 0 && page.Count > 0 && !keys.Take(overlap).Any(seen.Contains))
            {
                // The list shrank under the walk (events cleared): step back until the pages touch again.
                offset = Math.Max(0, offset - pageSize + overlap);
                continue;
            }

            seen.UnionWith(keys);
            await run.RecordAsync(page, cancellationToken).ConfigureAwait(false);
            if (page.Count < pageSize)
            {
                return;
            }

            offset += page.Count - overlap;
        }
    }

    private async Task ReadByTimeCursorAsync(LedgerSyncRun run, DateTimeOffset? from, int pageSize, CancellationToken cancellationToken)
    {
        long? cursor = from?.ToUnixTimeMilliseconds();
        var max = pageSize;
        while (true)
        {
            var query = new EventQuery
            {
                Types = AcceptanceEvents.Types,
                DateFrom = cursor is { } millis ? millis.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                Direction = "asc",
                First = 0,
                Max = max,
            };
            var page = await keycloak.GetEventsAsync(run.Realm, query, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
            await run.RecordAsync(page, cancellationToken).ConfigureAwait(false);
            if (page.Count < max)
            {
                return;
            }

            if (page[^1].Time == cursor)
            {
                // A whole page within one millisecond: ask for more of it at once rather than skip any.
                max *= 2;
                continue;
            }

            cursor = page[^1].Time;
            max = pageSize;
        }
    }

    private async Task<int> ReconcileAsync(LedgerSyncRun run, DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        var reconciled = 0;
        var candidates = new List<UserRepresentation>();
        await foreach (var user in keycloak.StreamUsersAsync(run.Realm, UserQuery.All, KeycloakAdminClient.DefaultPageSize, cancellationToken).ConfigureAwait(false))
        {
            if (user is { Id: { Length: > 0 }, TermsAcceptedAt: { } acceptedAt } && acceptedAt <= horizon)
            {
                candidates.Add(user);
            }

            if (candidates.Count == KeycloakAdminClient.DefaultPageSize)
            {
                reconciled += await ReconcileBatchAsync(run, candidates, cancellationToken).ConfigureAwait(false);
                candidates.Clear();
            }
        }

        return reconciled + await ReconcileBatchAsync(run, candidates, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ReconcileBatchAsync(LedgerSyncRun run, List<UserRepresentation> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return 0;
        }

        // Keycloak keeps seconds; the event of the same acceptance is stamped in milliseconds, a little later.
        var explained = await ledger.FindAcceptedWithinAsync(
            run.Realm,
            users.Select(user => (user.Id!, user.TermsAcceptedAt!.Value.AddSeconds(-1), user.TermsAcceptedAt!.Value + EventLag)).ToList(),
            cancellationToken).ConfigureAwait(false);
        var records = users.Where(user => !explained.Contains(user.Id!)).Select(user =>
        {
            var at = user.TermsAcceptedAt!.Value;
            var version = run.Versions.At(at);
            return new AcceptanceRecord(
                run.Realm, user.Id!, user.Username, run.Policy, version?.Number, version?.ContentHash, AcceptanceEvents.Inferred(AcceptanceDecision.Accepted, version), at,
                null, null, AcceptanceSource.Timestamp, AcceptanceEvents.TimestampKey(user.Id!, at))
            {
                RecordedAt = run.Started,
            };
        }).ToList();
        return await ledger.AppendAsync(records, cancellationToken).ConfigureAwait(false);
    }
}
