using System.Data.Common;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Policy versions in a <see cref="SqliteDatabase"/>. A new version's number is assigned inside
/// <c>BEGIN IMMEDIATE</c>, so concurrent publishers queue on the file's write lock and never share a number.
/// </summary>
/// <param name="database">The migrated database.</param>
public sealed class SqlitePolicyStore(SqliteDatabase database) : AdoPolicyStore
{
    private readonly SqliteDatabase database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginPolicyWriteAsync(DbConnection connection, string realm, string policy, CancellationToken cancellationToken) =>
        Task.FromResult(SqliteDatabase.BeginImmediate(connection));

    /// <inheritdoc />
    protected override object ToDatabase(DateTimeOffset utc) => utc.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
