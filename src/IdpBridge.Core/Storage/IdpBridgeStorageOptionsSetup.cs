using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdpBridge.Core.Storage;

/// <summary>Binds <see cref="IdpBridgeStorageOptions"/> from the <c>IdpBridge:Storage</c> section when there is configuration.</summary>
internal sealed class IdpBridgeStorageOptionsSetup(IServiceProvider services) : IConfigureOptions<IdpBridgeStorageOptions>
{
    public void Configure(IdpBridgeStorageOptions options)
    {
        // A host always has configuration; a bare ServiceCollection (a tool, a test) may configure in code only.
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            configuration.GetSection(IdpBridgeStorageOptions.SectionName).Bind(options);
        }
    }
}

/// <summary>Validates <see cref="IdpBridgeStorageOptions"/> at start-up; no message holds the password.</summary>
internal sealed class IdpBridgeStorageOptionsValidator : IValidateOptions<IdpBridgeStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpBridgeStorageOptions options)
    {
        const string prefix = IdpBridgeStorageOptions.SectionName + ":";
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(options.SqlitePath))
                {
                    return ValidateOptionsResult.Fail($"{prefix}SqlitePath must name the SQLite file (default idpbridge.db).");
                }

                if (options.SqlitePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(options.SqlitePath))
                {
                    return ValidateOptionsResult.Fail($"{prefix}SqlitePath must be a file path, not '{options.SqlitePath}'.");
                }

                return ValidateOptionsResult.Success;

            case StorageProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    return ValidateOptionsResult.Fail(
                        $"{prefix}ConnectionString is required when {prefix}Provider is postgresql " +
                        "(e.g. Host=db;Database=idpbridge;Username=idpbridge;Password=...).");
                }

                try
                {
                    var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                    if (string.IsNullOrWhiteSpace(builder.Host))
                    {
                        return ValidateOptionsResult.Fail(
                            $"{prefix}ConnectionString names no Host: {ConnectionStrings.MaskPassword(options.ConnectionString)}");
                    }
                }
                catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
                {
                    return ValidateOptionsResult.Fail(
                        $"{prefix}ConnectionString is not a valid PostgreSQL connection string: " +
                        ConnectionStrings.Scrub(exception.Message, options.ConnectionString));
                }

                return ValidateOptionsResult.Success;

            default:
                return ValidateOptionsResult.Fail($"{prefix}Provider must be sqlite or postgresql.");
        }
    }
}
