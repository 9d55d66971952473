namespace IdpBridge.Core.Storage;

/// <summary>
/// One database of IdpBridge (a SQLite file or a PostgreSQL database): its schema migrations and its health.
/// The stores (<see cref="Policies.IPolicyStore"/>, ...) read and write through it.
/// </summary>
public interface IStoreDatabase : IStoreHealth
{
    /// <summary>The provider.</summary>
    StorageProvider Provider { get; }

    /// <summary>Where the data is, fit to print: the SQLite file's full path, or the connection string with its password masked.</summary>
    string DisplayName { get; }

    /// <summary>
    /// Applies the migrations the database lacks, in order, each in its own transaction, holding a lock that makes
    /// a second process starting at the same time wait and then find nothing to do. Creates the SQLite file and its
    /// folder when absent. Returns how many migrations it applied (0 when the schema was current). Throws
    /// <see cref="StorageException"/> when the database cannot be reached or its schema is newer than this build's.
    /// </summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The highest migration applied to the database; 0 for an empty database.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);
}
