namespace IdpBridge.Core.Storage;

/// <summary>Which database holds IdpBridge's data.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file beside the service: zero set-up, one replica.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: for several replicas, whose row and advisory locks coordinate them.</summary>
    PostgreSql,
}
