using System.Data.Common;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger.Integrity;

/// <summary>One record of a batch that is new to its realm, with the hashes it is stored with.</summary>
internal sealed record ChainedRecord(AcceptanceRecord Record, string RecordHash, string ChainHash);

/// <summary>
/// Turns a batch into the records to insert and their chain hashes. Runs inside the write transaction that holds the
/// realm's lock (SQLite: the single writer; PostgreSQL: the realm's advisory lock), so no other record can be chained
/// to the same head; keys the realm holds already, and repeats within the batch, are left out (the first one wins).
/// </summary>
internal static class ChainedBatch
{
    /// <summary>
    /// The new records of <paramref name="records"/>, in batch order; <paramref name="existingKeys"/> returns which of
    /// a realm's keys it holds already.
    /// </summary>
    public static async Task<IReadOnlyList<ChainedRecord>> PrepareAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<AcceptanceRecord> records,
        Func<string, IReadOnlyList<string>, Task<IReadOnlySet<string>>> existingKeys,
        CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var realm in records.Select(record => record.Realm).Distinct(StringComparer.Ordinal))
        {
            heads[realm] = await HeadAsync(connection, transaction, realm, cancellationToken).ConfigureAwait(false);
            var keys = records.Where(record => record.Realm == realm).Select(record => record.EventKey).Distinct(StringComparer.Ordinal).ToList();
            seen[realm] = [.. await existingKeys(realm, keys).ConfigureAwait(false)];
        }

        var chained = new List<ChainedRecord>(records.Count);
        foreach (var record in records)
        {
            if (!seen[record.Realm].Add(record.EventKey))
            {
                continue;
            }

            var recordHash = LedgerChain.RecordHash(LedgerChain.Of(record));
            var chainHash = LedgerChain.Link(heads[record.Realm], recordHash);
            heads[record.Realm] = chainHash;
            chained.Add(new ChainedRecord(record, recordHash, chainHash));
        }

        return chained;
    }

    /// <summary>The chain hash the realm's next record links to.</summary>
    public static async Task<string> HeadAsync(DbConnection connection, DbTransaction? transaction, string realm, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, LedgerChain.HeadSql);
        command.AddParameter("@realm", realm);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? LedgerChain.Genesis;
    }
}
