using System.Data.Common;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger.Integrity;

/// <summary>
/// Checks a realm's recorded retention prunes (<c>ledger_prunes</c>) against what <see cref="LedgerPrune"/> can
/// write and against the records they left. A prune row is the one thing the chain trusts without proof (the first
/// remaining record chains from its anchor), so someone with the owner's rights could write one and delete the oldest
/// records with the guards off. What such a row cannot hide is caught here: a prune that ran after now, whose cut-off
/// is not at least a day before its run (retention is whole days, at least one), that deleted nothing, that does not go
/// beyond the prune before it, that left records up to its last one, or that stopped before a record it would have
/// deleted. A row consistent with all of that, anchoring a prefix of records older than a day, is not detectable from
/// the database alone: an anchor kept elsewhere (<see cref="LedgerVerification.HeadChainHash"/> with its id) is.
/// </summary>
internal static class LedgerPruneChecks
{
    private static readonly TimeSpan ShortestRetention = TimeSpan.FromDays(1);

    /// <summary>Adds what is wrong with <paramref name="realm"/>'s prunes to <paramref name="tampering"/> (kind <c>prune</c>).</summary>
    public static async Task VerifyAsync(
        IAdoDatabase database, DbConnection connection, string realm, DateTimeOffset now, List<LedgerTampering> tampering, CancellationToken cancellationToken)
    {
        var prunes = await ReadAsync(database, connection, realm, cancellationToken).ConfigureAwait(false);
        Prune? previous = null;
        foreach (var prune in prunes)
        {
            if (prune.RanAt > now)
            {
                tampering.Add(new("prune", prune.Id, $"ran at {Time(prune.RanAt)}, after now ({Time(now)}): no prune runs in the future"));
            }

            if (prune.Before > prune.RanAt - ShortestRetention)
            {
                tampering.Add(new("prune", prune.Id,
                    $"its cut-off {Time(prune.Before)} is less than a day before it ran ({Time(prune.RanAt)}): "
                    + $"a prune deletes only records older than IdpBridge:Ledger:RetentionDays (at least 1)"));
            }

            if (prune.ThroughId is { } through)
            {
                if (prune.Rows < 1)
                {
                    tampering.Add(new("prune", prune.Id, "deleted no record: a prune is recorded only when it deletes"));
                }

                if (previous?.ThroughId is { } last && through <= last)
                {
                    tampering.Add(new("prune", prune.Id,
                        $"ends at record {through}, not beyond prune {previous.Id} (record {last}): each prune deletes records after the one before"));
                }
            }

            if (previous is not null && prune.RanAt < previous.RanAt)
            {
                tampering.Add(new("prune", prune.Id, $"ran at {Time(prune.RanAt)}, before prune {previous.Id} ({Time(previous.RanAt)}), which it follows"));
            }

            previous = prune;
        }

        if (prunes.LastOrDefault(prune => prune.ThroughId is not null) is { ThroughId: { } end } latest)
        {
            await CheckWhatItLeftAsync(database, connection, realm, latest, end, tampering, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The latest prune deleted every record up to its last one, and stopped at the first record younger than its cut-off.</summary>
    private static async Task CheckWhatItLeftAsync(
        IAdoDatabase database, DbConnection connection, string realm, Prune latest, long end, List<LedgerTampering> tampering, CancellationToken cancellationToken)
    {
        await using (var left = connection.CreateCommand("SELECT count(*) FROM acceptances WHERE realm = @realm AND id <= @end"))
        {
            left.AddParameter("@realm", realm);
            left.AddParameter("@end", end);
            if (Convert.ToInt64(await left.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) is > 0 and var count)
            {
                tampering.Add(new("prune", latest.Id, $"{count} record(s) up to record {end} are still there: a prune deletes every record up to its last"));
            }
        }

        await using var next = connection.CreateCommand(
            "SELECT id, occurred_at, recorded_at FROM acceptances WHERE realm = @realm AND id > @end ORDER BY id LIMIT 1");
        next.AddParameter("@realm", realm);
        next.AddParameter("@end", end);
        await using var reader = await next.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // Recorded before the prune ran, it was there to delete; older than the cut-off, the prune would have.
        var (id, occurredAt, recordedAt) = (reader.GetInt64(0), database.ReadTime(reader, 1), database.ReadTime(reader, 2));
        if (recordedAt <= latest.RanAt && occurredAt < latest.Before)
        {
            tampering.Add(new("prune", latest.Id,
                $"stopped before record {id}, which occurred before its cut-off ({Time(occurredAt)} < {Time(latest.Before)}) "
                + $"and was recorded before it ran: a prune deletes every older record up to the first younger one"));
        }
    }

    private static async Task<List<Prune>> ReadAsync(IAdoDatabase database, DbConnection connection, string realm, CancellationToken cancellationToken)
    {
        var prunes = new List<Prune>();
        await using var command = connection.CreateCommand(
            "SELECT id, pruned_before, pruned_at, row_count, through_id FROM ledger_prunes WHERE realm = @realm ORDER BY id");
        command.AddParameter("@realm", realm);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            prunes.Add(new Prune(
                reader.GetInt64(0), database.ReadTime(reader, 1), database.ReadTime(reader, 2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return prunes;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Prune(long Id, DateTimeOffset Before, DateTimeOffset RanAt, long Rows, long? ThroughId);
}
