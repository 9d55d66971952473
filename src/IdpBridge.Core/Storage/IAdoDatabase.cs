using System.Data.Common;

namespace IdpBridge.Core.Storage;

/// <summary>
/// What the stores need from a provider to share their SQL: connections, a write transaction, and how times are stored
/// (SQLite: UTC unix milliseconds; PostgreSQL: <c>timestamptz(3)</c>).
/// </summary>
internal interface IAdoDatabase
{
    /// <summary>The provider, for the few statements whose fastest form differs (a ledger batch).</summary>
    StorageProvider Provider { get; }

    /// <summary>Opens a connection to the migrated database.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction for a read-then-write: SQLite takes the file's write lock at once (<c>BEGIN IMMEDIATE</c>, so two
    /// writers queue instead of failing to upgrade); PostgreSQL relies on the row locks its statements take.
    /// </summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// A write transaction that also holds the lock (<paramref name="lockClass"/>, <paramref name="lockKey"/>) until it
    /// ends, so that writers of one thing queue on every replica and writers of other things do not wait: PostgreSQL
    /// takes a transaction-scoped advisory lock on the pair; SQLite's <c>BEGIN IMMEDIATE</c> excludes every other
    /// writer of the file already.
    /// </summary>
    Task<DbTransaction> BeginLockedWriteAsync(DbConnection connection, int lockClass, int lockKey, CancellationToken cancellationToken);

    /// <summary>A UTC time as the provider stores it.</summary>
    object ToDatabase(DateTimeOffset utc);

    /// <summary>A stored time back as UTC.</summary>
    DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>
    /// What a store throws for the provider's <paramref name="exception"/>: a <see cref="StorageException"/> that names
    /// the setting to check and never holds a password (<see cref="StorageBoundary"/>).
    /// </summary>
    StorageException Failed(DbException exception);
}
