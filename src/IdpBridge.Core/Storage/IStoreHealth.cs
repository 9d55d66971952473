namespace IdpBridge.Core.Storage;

/// <summary>The storage part of the service's health check.</summary>
public interface IStoreHealth
{
    /// <summary>
    /// Runs <c>SELECT 1</c> on the database. Completes when it answers; throws <see cref="StorageException"/>
    /// (whose message never holds a password) when it cannot be reached.
    /// </summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
