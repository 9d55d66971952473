using System.Data.Common;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Policy versions in a <see cref="SqliteDatabase"/>. A new version's number is assigned inside
/// <c>BEGIN IMMEDIATE</c>, so concurrent publishers queue on the file's write lock and never share a number.
/// </summary>
/// <param name="database">The migrated database.</param>
public sealed class SqlitePolicyStore(SqliteDatabase database) : IPolicyStore
{
    private readonly AdoPolicyStore store = new(new Dialect(database ?? throw new ArgumentNullException(nameof(database))));

    /// <inheritdoc />
    public Task<(PolicyVersion Version, bool Created)> AddAsync(PolicyVersion version, CancellationToken cancellationToken = default) =>
        store.AddAsync(version, cancellationToken);

    /// <inheritdoc />
    public Task<PolicyVersion?> GetAsync(string realm, string policy, int number, CancellationToken cancellationToken = default) =>
        store.GetAsync(realm, policy, number, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<PolicyVersion>> ListAsync(string realm, string policy, CancellationToken cancellationToken = default) =>
        store.ListAsync(realm, policy, cancellationToken);

    /// <inheritdoc />
    public Task<PolicyVersion?> GetEffectiveAsync(string realm, string policy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.GetEffectiveAsync(realm, policy, at, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListPoliciesAsync(string realm, CancellationToken cancellationToken = default) =>
        store.ListPoliciesAsync(realm, cancellationToken);

    private sealed class Dialect(SqliteDatabase database) : IPolicyStoreDialect
    {
        public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        public Task<DbTransaction> BeginPolicyWriteAsync(DbConnection connection, string realm, string policy, CancellationToken cancellationToken) =>
            Task.FromResult(SqliteDatabase.BeginImmediate(connection));

        public object ToDatabase(DateTimeOffset utc) => utc.ToUnixTimeMilliseconds();

        public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }
}
