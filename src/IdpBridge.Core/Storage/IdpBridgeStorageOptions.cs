namespace IdpBridge.Core.Storage;

/// <summary>
/// Where IdpBridge keeps policy versions, rollouts and the acceptance ledger. Bound from the
/// <c>IdpBridge:Storage</c> section (environment <c>IdpBridge__Storage__Provider</c>, ...), validated at start-up.
/// </summary>
public sealed class IdpBridgeStorageOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "IdpBridge:Storage";

    /// <summary>
    /// <c>sqlite</c> (default: one file, one replica) or <c>postgresql</c> (several replicas), case-insensitive.
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The SQLite file, absolute or relative to the current folder. Default <c>idpbridge.db</c>. The file and its
    /// folder are created at the first start.
    /// </summary>
    public string SqlitePath { get; set; } = "idpbridge.db";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql keywords: <c>Host=db;Database=idpbridge;Username=...;Password=...</c>),
    /// required when <see cref="Provider"/> is <c>postgresql</c>. Never logged or printed: messages show it with
    /// the password masked.
    /// </summary>
    public string ConnectionString { get; set; } = "";
}
