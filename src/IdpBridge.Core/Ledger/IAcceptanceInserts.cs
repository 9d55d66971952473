using System.Data.Common;

namespace IdpBridge.Core.Ledger;

/// <summary>How one provider inserts a batch of acceptance records fastest: the one ledger statement whose form differs.</summary>
internal interface IAcceptanceInserts
{
    /// <summary>Inserts the records in order, skipping keys the realm has; returns how many were new.</summary>
    Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptanceRecord> records, CancellationToken cancellationToken);
}
