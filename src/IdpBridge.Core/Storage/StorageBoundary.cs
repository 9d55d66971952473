using System.Data.Common;
using System.Runtime.CompilerServices;

namespace IdpBridge.Core.Storage;

/// <summary>
/// The stores' boundary: what a provider throws (<see cref="DbException"/>: the server gone, a lock wait timed out, a
/// broken file) leaves a store as a <see cref="StorageException"/> that names the setting to check, as the Keycloak
/// client turns HTTP failures into one KeycloakException. Callers then decide on one type
/// (<see cref="DependencyFailure"/>) instead of knowing each provider's exceptions.
/// </summary>
internal static class StorageBoundary
{
    /// <summary>Runs one store operation, translating the provider's failure.</summary>
    public static async Task<T> GuardAsync<T>(this IAdoDatabase database, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            throw database.Failed(exception);
        }
    }

    /// <summary>Runs one store operation that returns nothing, translating the provider's failure.</summary>
    public static async Task GuardAsync(this IAdoDatabase database, Func<Task> operation)
    {
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            throw database.Failed(exception);
        }
    }

    /// <summary>
    /// Streams rows, translating the provider's failure at every step (a reader fails on any row, not only the
    /// first). The steps are guarded one by one because C# allows no <c>yield</c> inside a <c>try</c> with a <c>catch</c>.
    /// </summary>
    public static async IAsyncEnumerable<T> GuardAsync<T>(
        this IAdoDatabase database, IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                T current;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    current = enumerator.Current;
                }
                catch (DbException exception)
                {
                    throw database.Failed(exception);
                }

                yield return current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
