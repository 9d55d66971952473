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

    /// <summary>
    /// PostgreSQL only, optional: a second connection string, of the role that owns the schema, used to migrate it and
    /// to grant the service's role (the one <see cref="ConnectionString"/> logs in as) what it needs and no more: on
    /// the acceptance record and the policy versions SELECT and INSERT only, never UPDATE, DELETE or TRUNCATE (the
    /// retention prune runs as the owner, through <c>idpbridge_prune_ledger</c>). Default empty: the one connection
    /// migrates and serves. Never logged or printed.
    /// </summary>
    public string OwnerConnectionString { get; set; } = "";

    /// <summary>What the chosen provider needs: a file path for SQLite, a connection string with a host for PostgreSQL.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) => Provider switch
    {
        StorageProvider.Sqlite => ValidateSqlitePath().Concat(OwnerConnectionStringUnused()),
        StorageProvider.PostgreSql => ValidateConnectionString(nameof(ConnectionString), ConnectionString)
            .Concat(string.IsNullOrWhiteSpace(OwnerConnectionString) ? [] : ValidateOwnerConnectionString()),
        _ => [],
    };

    private IEnumerable<ValidationResult> ValidateSqlitePath()
    {
        if (string.IsNullOrWhiteSpace(SqlitePath))
        {
            yield return new ValidationResult(
                $"{Prefix}SqlitePath must name the SQLite file (no default without a home folder: set it, e.g. /var/lib/idpbridge/idpbridge.db).",
                [nameof(SqlitePath)]);
        }
        else if (SqlitePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(SqlitePath))
        {
            yield return new ValidationResult($"{Prefix}SqlitePath must be a file path, not '{SqlitePath}'.", [nameof(SqlitePath)]);
        }
    }

    private IEnumerable<ValidationResult> OwnerConnectionStringUnused()
    {
        if (!string.IsNullOrWhiteSpace(OwnerConnectionString))
        {
            yield return new ValidationResult(
                $"{Prefix}OwnerConnectionString is for PostgreSQL only ({Prefix}Provider is sqlite): remove it, or set the provider to postgresql.",
                [nameof(OwnerConnectionString)]);
        }
    }

    private IEnumerable<ValidationResult> ValidateOwnerConnectionString()
    {
        var problems = ValidateConnectionString(nameof(OwnerConnectionString), OwnerConnectionString).ToList();
        if (problems.Count == 0 && ValidateConnectionString(nameof(ConnectionString), ConnectionString).Any() is false)
        {
            var service = new NpgsqlConnectionStringBuilder(ConnectionString);
            var owner = new NpgsqlConnectionStringBuilder(OwnerConnectionString);
            if (!string.Equals(service.Host, owner.Host, StringComparison.OrdinalIgnoreCase) || service.Port != owner.Port
                || !string.Equals(service.Database, owner.Database, StringComparison.Ordinal))
            {
                problems.Add(new ValidationResult(
                    $"{Prefix}OwnerConnectionString must name the database {Prefix}ConnectionString names (Host, Port, Database): " +
                    $"{ConnectionStrings.MaskPassword(OwnerConnectionString)} is not {ConnectionStrings.MaskPassword(ConnectionString)}.",
                    [nameof(OwnerConnectionString)]));
            }
        }

        return problems;
    }

    private static IEnumerable<ValidationResult> ValidateConnectionString(string name, string value)
    {
        if (name == nameof(ConnectionString) && string.IsNullOrWhiteSpace(value))
        {
            yield return new ValidationResult(
                $"{Prefix}ConnectionString is required when {Prefix}Provider is postgresql " +
                "(e.g. Host=db;Database=idpbridge;Username=idpbridge;Password=...).",
                [name]);
            yield break;
        }

        string? problem;
        try
        {
            problem = string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(value).Host)
                ? $"{Prefix}{name} names no Host: {ConnectionStrings.MaskPassword(value)}"
                : null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            problem = $"{Prefix}{name} is not a valid PostgreSQL connection string: " +
                ConnectionStrings.Scrub(exception.Message, value);
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem, [name]);
        }
    }
}
