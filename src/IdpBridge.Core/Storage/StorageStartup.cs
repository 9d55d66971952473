using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Migrates the database when the host starts, before the service answers requests or runs workers, so a missing
/// schema or an unreachable database stops the start with a clear <see cref="StorageException"/>.
/// </summary>
internal sealed partial class StorageStartup(IStoreDatabase database, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var version = await database.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        LogReady(logger, database.Provider, database.DisplayName, version, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Provider} at {Location}, schema version {Version} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger logger, StorageProvider provider, string location, int version, int applied);
}
