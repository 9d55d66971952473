using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>A record's stored hashes and the chain hash it links to.</summary>
/// <param name="RecordHash">Its <c>record_hash</c>; null for a record written before the chain (schema 7).</param>
/// <param name="ChainHash">Its <c>chain_hash</c>; null with <paramref name="RecordHash"/>.</param>
/// <param name="PreviousChainHash">The realm's previous chained record's chain hash, else its last earlier prune's anchor, else <see cref="LedgerChain.Genesis"/>.</param>
internal sealed record ProofRecordHashes(string? RecordHash, string? ChainHash, string PreviousChainHash);

/// <summary>Reads one record's place in the realm's hash chain (<see cref="LedgerChain"/>) from the database.</summary>
internal sealed class ProofRecordReader(IAdoDatabase database)
{
    public Task<ProofRecordHashes?> ReadAsync(string realm, long id, CancellationToken cancellationToken) =>
        database.GuardAsync<ProofRecordHashes?>(async () =>
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(
                "SELECT record_hash, chain_hash, coalesce(" +
                "(SELECT p.chain_hash FROM acceptances p WHERE p.realm = @realm AND p.id < @id AND p.chain_hash IS NOT NULL ORDER BY p.id DESC LIMIT 1), " +
                "(SELECT l.chain_hash FROM ledger_prunes l WHERE l.realm = @realm AND l.through_id < @id AND l.chain_hash IS NOT NULL ORDER BY l.through_id DESC LIMIT 1)) " +
                "FROM acceptances WHERE realm = @realm AND id = @id");
            command.AddParameter("@realm", realm);
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            return new ProofRecordHashes(Text(0), Text(1), Text(2) ?? LedgerChain.Genesis);
        });
}
