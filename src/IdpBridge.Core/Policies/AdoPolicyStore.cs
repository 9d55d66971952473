using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Policy versions in either database (plain ADO.NET, <c>@name</c> parameters). A new version's number is assigned
/// while holding its policy's write lock (<see cref="IAdoDatabase.BeginLockedWriteAsync"/>: on SQLite the file's,
/// on PostgreSQL an advisory lock on its (realm, policy)), so concurrent publishers on any replica queue per policy
/// and never share a number, and publishers of different policies do not wait for each other.
/// </summary>
internal sealed class AdoPolicyStore : IPolicyStore
{
    /// <summary>The first key of the two-key advisory locks that guard one policy's numbering: "PV".</summary>
    internal const int PolicyLockClass = 0x5056;

    private readonly IAdoDatabase database;

    /// <summary>Uses <paramref name="database"/>, migrated.</summary>
    public AdoPolicyStore(IAdoDatabase database) =>
        this.database = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>
    /// A stable 32-bit key for one (realm, policy): the first bytes of SHA-256, the same on every replica and .NET
    /// version (string.GetHashCode is randomized per process). Two policies sharing a key only wait for each other.
    /// </summary>
    internal static int PolicyLockKey(string realm, string policy)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(realm + "\u001f" + policy));
        return BinaryPrimitives.ReadInt32BigEndian(hash);
    }

    private const string SelectVersions =
        "SELECT v.id, v.number, v.kind, v.published_at, v.effective_at, v.content_hash, " +
        "t.locale, t.title, t.summary, t.markdown, t.sha256 " +
        "FROM policy_versions v JOIN policy_texts t ON t.version_id = v.id " +
        "WHERE v.realm = @realm AND v.policy = @policy ";

    private const string OrderVersions = " ORDER BY v.number, t.position";

    /// <inheritdoc />
    public Task<(PolicyVersion Version, bool Created)> AddAsync(PolicyVersion version, CancellationToken cancellationToken = default) =>
        database.GuardAsync<(PolicyVersion Version, bool Created)>(async () =>
        {
            var normalized = Normalize(version);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await database.BeginLockedWriteAsync(
                connection, PolicyLockClass, PolicyLockKey(normalized.Realm, normalized.Policy), cancellationToken).ConfigureAwait(false);

            var latest = await ReadAsync(
                connection, transaction, normalized.Realm, normalized.Policy,
                "AND v.number = (SELECT max(number) FROM policy_versions WHERE realm = @realm AND policy = @policy)",
                null, cancellationToken).ConfigureAwait(false);
            if (latest.Count == 1 && string.Equals(latest[0].ContentHash, normalized.ContentHash, StringComparison.Ordinal))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (latest[0], false);
            }

            var stored = normalized with { Number = latest.Count == 1 ? latest[0].Number + 1 : 1 };
            long id;
            await using (var insert = Command(connection, transaction, stored.Realm, stored.Policy,
                "INSERT INTO policy_versions (realm, policy, number, kind, published_at, effective_at, content_hash) " +
                "VALUES (@realm, @policy, @number, @kind, @published_at, @effective_at, @content_hash) RETURNING id"))
            {
                insert.AddParameter("@number", stored.Number);
                insert.AddParameter("@kind", KindToDatabase(stored.Kind));
                insert.AddParameter("@published_at", ToDatabase(stored.PublishedAt));
                insert.AddParameter("@effective_at", ToDatabase(stored.EffectiveAt));
                insert.AddParameter("@content_hash", stored.ContentHash);
                id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            for (var position = 0; position < stored.Texts.Count; position++)
            {
                var text = stored.Texts[position];
                await using var insertText = connection.CreateCommand(transaction,
                    "INSERT INTO policy_texts (version_id, position, locale, title, summary, markdown, sha256) " +
                    "VALUES (@version_id, @position, @locale, @title, @summary, @markdown, @sha256)");
                insertText.AddParameter("@version_id", id);
                insertText.AddParameter("@position", position);
                insertText.AddParameter("@locale", text.Locale);
                insertText.AddParameter("@title", text.Title);
                insertText.AddParameter("@summary", text.Summary);
                insertText.AddParameter("@markdown", text.Markdown);
                insertText.AddParameter("@sha256", text.Sha256);
                await insertText.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (stored, true);
        });

    /// <inheritdoc />
    public async Task<PolicyVersion?> GetAsync(string realm, string policy, int number, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync(realm, policy, "AND v.number = @number", ("@number", number), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PolicyVersion>> ListAsync(string realm, string policy, CancellationToken cancellationToken = default) =>
        ReadAsync(realm, policy, "", null, cancellationToken);

    /// <inheritdoc />
    public async Task<PolicyVersion?> GetEffectiveAsync(string realm, string policy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync(
            realm, policy,
            "AND v.number = (SELECT max(number) FROM policy_versions WHERE realm = @realm AND policy = @policy AND effective_at <= @at)",
            ("@at", ToDatabase(StoreTime.TruncateToMilliseconds(at))),
            cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListPoliciesAsync(string realm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(realm);
        return ListNamesAsync("SELECT DISTINCT policy FROM policy_versions WHERE realm = @realm", realm, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListRealmsAsync(CancellationToken cancellationToken = default) =>
        ListNamesAsync("SELECT DISTINCT realm FROM policy_versions", null, cancellationToken);

    private Task<IReadOnlyList<string>> ListNamesAsync(string sql, string? realm, CancellationToken cancellationToken) =>
        database.GuardAsync<IReadOnlyList<string>>(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(sql);
            if (realm is not null)
            {
                command.AddParameter("@realm", realm);
            }

            var names = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
            }

            // Sorted here, ordinally, so both providers agree whatever the database's collation.
            names.Sort(StringComparer.Ordinal);
            return names;
        });

    private static PolicyVersion Normalize(PolicyVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(version.Realm, "version.Realm");
        ArgumentException.ThrowIfNullOrWhiteSpace(version.Policy, "version.Policy");
        ArgumentException.ThrowIfNullOrWhiteSpace(version.ContentHash, "version.ContentHash");
        if (!Enum.IsDefined(version.Kind))
        {
            throw new ArgumentException($"Unknown policy version kind {version.Kind}.", nameof(version));
        }

        if (version.Texts is null || version.Texts.Count == 0)
        {
            throw new ArgumentException("A policy version has at least one text.", nameof(version));
        }

        var locales = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in version.Texts)
        {
            if (text is null || string.IsNullOrWhiteSpace(text.Locale) || !locales.Add(text.Locale))
            {
                throw new ArgumentException("Every text of a policy version has its own, non-empty locale.", nameof(version));
            }
        }

        var published = StoreTime.TruncateToMilliseconds(version.PublishedAt);
        var effective = StoreTime.TruncateToMilliseconds(version.EffectiveAt);
        if (effective < published)
        {
            throw new ArgumentException(
                $"EffectiveAt ({effective:O}) is before PublishedAt ({published:O}).", nameof(version));
        }

        return version with { PublishedAt = published, EffectiveAt = effective, Texts = [.. version.Texts] };
    }

    private Task<IReadOnlyList<PolicyVersion>> ReadAsync(
        string realm, string policy, string filter, (string Name, object Value)? parameter, CancellationToken cancellationToken) =>
        database.GuardAsync<IReadOnlyList<PolicyVersion>>(async () =>
        {
            ArgumentNullException.ThrowIfNull(realm);
            ArgumentNullException.ThrowIfNull(policy);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadAsync(connection, null, realm, policy, filter, parameter, cancellationToken).ConfigureAwait(false);
        });

    private async Task<IReadOnlyList<PolicyVersion>> ReadAsync(
        DbConnection connection, DbTransaction? transaction, string realm, string policy, string filter,
        (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, realm, policy, SelectVersions + filter + OrderVersions);
        if (parameter is { } extra)
        {
            command.AddParameter(extra.Name, extra.Value);
        }

        var versions = new List<PolicyVersion>();
        long currentId = 0;
        List<PolicyText>? texts = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            if (texts is null || id != currentId)
            {
                currentId = id;
                texts = [];
                versions.Add(new PolicyVersion(
                    realm,
                    policy,
                    reader.GetInt32(1),
                    KindFromDatabase(reader.GetString(2)),
                    ReadTime(reader, 3),
                    ReadTime(reader, 4),
                    reader.GetString(5),
                    texts.AsReadOnly()));
            }

            texts.Add(new PolicyText(
                reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetString(9),
                reader.GetString(10)));
        }

        return versions;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string realm, string policy, string sql)
    {
        var command = connection.CreateCommand(transaction, sql);
        command.AddParameter("@realm", realm);
        command.AddParameter("@policy", policy);
        return command;
    }


    private static string KindToDatabase(PolicyVersionKind kind) => kind.Name();

    private static PolicyVersionKind KindFromDatabase(string kind) =>
        PolicyVersionKinds.TryParse(kind, out var value) ? value : throw new InvalidDataException($"Unknown policy version kind '{kind}' in the database.");


    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    private object ToDatabase(DateTimeOffset utc) => database.ToDatabase(utc);

    private DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => database.ReadTime(reader, ordinal);
}
