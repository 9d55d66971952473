using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Where IdpBridge keeps policy versions, rollouts and the acceptance ledger. Bound from the
/// <c>IdpBridge:Storage</c> section (environment <c>IdpBridge__Storage__Provider</c>, ...), validated at start-up
/// (<see cref="IdpBridgeStorageOptionsValidator"/>).
/// </summary>
public sealed class IdpBridgeStorageOptions : IValidatableObject
{
    private const string Prefix = SectionName + ":";

    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "IdpBridge:Storage";

    /// <summary>
    /// <c>sqlite</c> (default: one file, one replica) or <c>postgresql</c> (several replicas), case-insensitive.
    /// </summary>
    [EnumDataType(typeof(StorageProvider), ErrorMessage = $"{Prefix}Provider must be sqlite or postgresql.")]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The SQLite file, absolute or relative to the current folder. Default <see cref="DefaultSqlitePath"/>, one place
    /// per user whatever folder a command runs from, so the CLI and a service run by the same user share one store. The
    /// file and its folder are created at the first start.
    /// </summary>
    public string SqlitePath { get; set; } = DefaultSqlitePath;

    /// <summary>
    /// The default SQLite file: <c>idpbridge/idpbridge.db</c> in the user's data folder, that is
    /// <c>$XDG_DATA_HOME/idpbridge/idpbridge.db</c>, else <c>~/.local/share/idpbridge/idpbridge.db</c> on Linux
    /// (<c>%LOCALAPPDATA%\idpbridge\idpbridge.db</c> on Windows). Empty when the user has no home folder; a SQLite
    /// store must then be configured.
    /// </summary>
    public static string DefaultSqlitePath { get; } =
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
            ? Path.Combine(data, "idpbridge", "idpbridge.db")
            : "";

    /// <summary>Which store this is, for a person: <c>SQLite /path/to/idpbridge.db</c> or PostgreSQL with its host and database.</summary>
    public string Describe() => Provider == StorageProvider.PostgreSql
        ? $"PostgreSQL {ConnectionStrings.MaskPassword(ConnectionString)}"
        : $"SQLite {Path.GetFullPath(SqlitePath)}";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql keywords: <c>Host=db;Database=idpbridge;Username=...;Password=...</c>),
    /// required when <see cref="Provider"/> is <c>postgresql</c>; default empty. Never logged or printed: messages show
    /// it with the password masked.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>What the chosen provider needs: a file path for SQLite, a connection string with a host for PostgreSQL.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) => Provider switch
    {
        StorageProvider.Sqlite => ValidateSqlitePath(),
        StorageProvider.PostgreSql => ValidateConnectionString(),
        _ => [],
    };

    private IEnumerable<ValidationResult> ValidateSqlitePath()
    {
        if (string.IsNullOrWhiteSpace(SqlitePath))
        {
            yield return new ValidationResult($"{Prefix}SqlitePath must name the SQLite file (no default without a home folder: set it, e.g. /var/lib/idpbridge/idpbridge.db).", [nameof(SqlitePath)]);
        }
        else if (SqlitePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(SqlitePath))
        {
            yield return new ValidationResult($"{Prefix}SqlitePath must be a file path, not '{SqlitePath}'.", [nameof(SqlitePath)]);
        }
    }

    private IEnumerable<ValidationResult> ValidateConnectionString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"{Prefix}ConnectionString is required when {Prefix}Provider is postgresql " +
                "(e.g. Host=db;Database=idpbridge;Username=idpbridge;Password=...).",
                [nameof(ConnectionString)]);
            yield break;
        }

        string? problem;
        try
        {
            problem = string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(ConnectionString).Host)
                ? $"{Prefix}ConnectionString names no Host: {ConnectionStrings.MaskPassword(ConnectionString)}"
                : null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            problem = $"{Prefix}ConnectionString is not a valid PostgreSQL connection string: " +
                ConnectionStrings.Scrub(exception.Message, ConnectionString);
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(ConnectionString)]);
        }
    }
}
