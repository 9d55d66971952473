namespace IdpBridge.Core.Ledger.Integrity;

/// <summary>What <c>ledger verify</c> found wrong with one record or one policy version.</summary>
/// <param name="Kind">
/// <c>record</c> (an acceptance, by its database id), <c>version</c> (a policy version, by its database id) or
/// <c>prune</c> (a recorded retention prune, by its database id).
/// </param>
/// <param name="Id">The row's id in the database.</param>
/// <param name="Problem">What is wrong, in words, with the hashes compared.</param>
public sealed record LedgerTampering(string Kind, long Id, string Problem);

/// <summary>The result of checking one realm's acceptance record and published policy versions.</summary>
/// <param name="Realm">The realm checked.</param>
/// <param name="Records">How many records were checked against the chain.</param>
/// <param name="LegacyRecords">Records written before the chain existed (schema version 7): present, but not provable.</param>
/// <param name="Versions">How many published policy versions were checked.</param>
/// <param name="PrunedThroughId">The id up to which retention pruned the realm's records, if it ever did.</param>
/// <param name="HeadId">The id of the realm's newest chained record, if any.</param>
/// <param name="HeadChainHash">
/// The chain hash the realm's next record will link to. Kept somewhere else (a ticket, a signed mail), it proves later
/// that no record up to it was changed, removed or the chain recomputed.
/// </param>
/// <param name="Tampering">Every record and version found altered, in id order; empty when all is intact.</param>
public sealed record LedgerVerification(
    string Realm,
    long Records,
    long LegacyRecords,
    long Versions,
    long? PrunedThroughId,
    long? HeadId,
    string HeadChainHash,
    IReadOnlyList<LedgerTampering> Tampering)
{
    /// <summary>True when nothing was found altered.</summary>
    public bool Intact => Tampering.Count == 0;
}
