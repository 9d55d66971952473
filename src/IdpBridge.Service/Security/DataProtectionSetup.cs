using IdpBridge.Core.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace IdpBridge.Service.Security;

/// <summary>
/// Where the keys that protect the admin page's cookies and sign-in state live. Bound from
/// <c>IdpBridge:DataProtection</c> (environment <c>IdpBridge__DataProtection__KeysFolder</c>).
/// </summary>
public sealed class DataProtectionSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:DataProtection";

    /// <summary>
    /// The folder of the key ring, shared by every replica (a volume they all mount) and kept across restarts. Created
    /// readable by the service's user only. Default: <c>keys</c> beside the SQLite file (<c>IdpBridge:Storage:SqlitePath</c>).
    /// </summary>
    public string? KeysFolder { get; set; }
}

/// <summary>Data protection with a persisted key ring, so a restart or another replica reads what this one protected.</summary>
internal static class DataProtectionSetup
{
    /// <summary>The application name all replicas share: the key ring is isolated per application name.</summary>
    private const string ApplicationName = "IdpBridge.Service";

    public static void AddIdpBridgeDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var folder = KeysFolder(configuration);
        // Made now, before the first key is written: the key ring's own writer would create it readable by everyone.
        try
        {
            OwnerOnlyFiles.CreateFolder(folder, tightenExisting: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Without its key ring the service would sign people in with keys no restart or replica can read: refuse to start.
            throw new InvalidOperationException(
                $"The data-protection key folder '{folder}' cannot be made: {exception.Message} " +
                $"Set {DataProtectionSettings.SectionName}:KeysFolder to a folder the service can write (one shared by every replica).",
                exception);
        }

        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(folder));
    }

    private static string KeysFolder(IConfiguration configuration)
    {
        var settings = configuration.GetSection(DataProtectionSettings.SectionName).Get<DataProtectionSettings>();
        if (!string.IsNullOrWhiteSpace(settings?.KeysFolder))
        {
            return Path.GetFullPath(settings.KeysFolder);
        }

        var database = Path.GetFullPath(configuration["IdpBridge:Storage:SqlitePath"] is { Length: > 0 } path ? path : Core.Storage.IdpBridgeStorageOptions.DefaultSqlitePath);
        return Path.Combine(Path.GetDirectoryName(database) ?? ".", "keys");
    }
}
