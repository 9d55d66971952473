using System.Data.Common;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Policy versions in a <see cref="SqliteDatabase"/>. A new version's number is assigned inside
/// <c>BEGIN IMMEDIATE</c>, so concurrent publishers queue on the file's write lock and never share a number.
/// </summary>
/// <param name="database">The migrated database.</param>
public sealed class SqlitePolicyStore(SqliteDatabase database) : AdoPolicyStore(database)
{
    /// <inheritdoc />
    protected override Task<DbTransaction> BeginPolicyWriteAsync(DbConnection connection, string realm, string policy, CancellationToken cancellationToken) =>
        Task.FromResult(SqliteDatabase.BeginImmediate(connection));
}
