using System.Data.Common;
using System.Globalization;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger.Integrity;

/// <summary>
/// Checks a realm's acceptance record and published policy versions from the database alone, assuming that whoever
/// changed them may have turned the guards off: recomputes every record's hash and the realm's chain
/// (<see cref="LedgerChain"/>) from the latest prune's anchor, every version text's SHA-256 and every version's
/// content hash, that each record's version hash is the stored version's, and that the realm's recorded prunes are
/// ones the retention prune could have written (<see cref="LedgerPruneChecks"/>).
/// </summary>
public sealed class LedgerVerifier
{
    private const string Columns =
        "id, realm, event_key, user_id, username, policy, version_number, content_hash, decision, occurred_at, " +
        "client_id, ip_address, source, keycloak_event_id, recorded_at, record_hash, chain_hash, locale_shown";

    private readonly IAdoDatabase database;
    private readonly TimeProvider time;

    internal LedgerVerifier(IAdoDatabase database, TimeProvider? time = null)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Checks <paramref name="realm"/>. Throws <see cref="StorageException"/> when the database cannot be read.</summary>
    public Task<LedgerVerification> VerifyAsync(string realm, CancellationToken cancellationToken = default) =>
        database.GuardAsync<LedgerVerification>(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(realm);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var tampering = new List<LedgerTampering>();
            var versionHashes = await VerifyVersionsAsync(connection, realm, tampering, cancellationToken).ConfigureAwait(false);
            var chain = await VerifyRecordsAsync(connection, realm, versionHashes, tampering, cancellationToken).ConfigureAwait(false);
            await LedgerPruneChecks.VerifyAsync(database, connection, realm, time.GetUtcNow(), tampering, cancellationToken).ConfigureAwait(false);
            tampering.Sort((left, right) => (left.Kind, left.Id).CompareTo((right.Kind, right.Id)));
            return chain with { Versions = versionHashes.Count, Tampering = tampering };
        });

    private async Task<LedgerVerification> VerifyRecordsAsync(
        DbConnection connection, string realm, Dictionary<(string Policy, int Number), string> versionHashes, List<LedgerTampering> tampering,
        CancellationToken cancellationToken)
    {
        var legacyThrough = await ScalarAsync(connection, "SELECT legacy_through_id FROM ledger_chain_start", realm, cancellationToken).ConfigureAwait(false) ?? 0;
        var prunedThrough = await ScalarAsync(connection, "SELECT max(through_id) FROM ledger_prunes WHERE realm = @realm", realm, cancellationToken).ConfigureAwait(false);
        string head;
        await using (var anchor = connection.CreateCommand(
            "SELECT chain_hash FROM ledger_prunes WHERE realm = @realm AND chain_hash IS NOT NULL ORDER BY through_id DESC LIMIT 1"))
        {
            anchor.AddParameter("@realm", realm);
            head = await anchor.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? LedgerChain.Genesis;
        }

        long records = 0, legacy = 0;
        long? headId = null;
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM acceptances WHERE realm = @realm ORDER BY id");
        command.AddParameter("@realm", realm);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            var storedRecordHash = Text(reader, 15);
            var storedChainHash = Text(reader, 16);
            if (storedRecordHash is null && storedChainHash is null && id <= legacyThrough)
            {
                legacy++;
                continue;
            }

            records++;
            var fields = Fields(reader);
            if (storedRecordHash is null || storedChainHash is null)
            {
                tampering.Add(new("record", id, "has no chain hash: it was written outside IdpBridge, with the guards off"));
                continue;
            }

            var recordHash = LedgerChain.RecordHash(fields);
            if (!string.Equals(recordHash, storedRecordHash, StringComparison.Ordinal))
            {
                tampering.Add(new("record", id, $"its fields changed after it was recorded (they hash to {recordHash}, recorded {storedRecordHash})"));
            }
            else if (!string.Equals(LedgerChain.Link(head, storedRecordHash), storedChainHash, StringComparison.Ordinal))
            {
                tampering.Add(new("record", id, headId is { } previous
                    ? $"does not follow record {previous}: a record between them was removed, or the chain recomputed"
                    : "does not follow the realm's start or its last prune's anchor: an earlier record was removed, or the chain recomputed"));
            }

            if (fields.VersionNumber is { } number && fields.ContentHash is { } contentHash
                && versionHashes.TryGetValue((fields.Policy, number), out var versionHash)
                && !string.Equals(versionHash, contentHash, StringComparison.Ordinal))
            {
                tampering.Add(new("record", id, $"names {fields.Policy} version {number} with hash {contentHash}, but that version's stored hash is {versionHash}"));
            }

            head = storedChainHash;
            headId = id;
        }

        return new LedgerVerification(realm, records, legacy, 0, prunedThrough, headId, head, []);
    }

    /// <summary>Checks each version of the realm; returns the stored content hash of each (policy, number).</summary>
    private static async Task<Dictionary<(string Policy, int Number), string>> VerifyVersionsAsync(
        DbConnection connection, string realm, List<LedgerTampering> tampering, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<long, (string Policy, int Number, string ContentHash, List<PolicyText> Texts)>();
        await using (var command = connection.CreateCommand(
            "SELECT v.id, v.policy, v.number, v.content_hash, t.locale, t.markdown, t.sha256 FROM policy_versions v " +
            "LEFT JOIN policy_texts t ON t.version_id = v.id WHERE v.realm = @realm ORDER BY v.id, t.position"))
        {
            command.AddParameter("@realm", realm);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                if (!versions.TryGetValue(id, out var version))
                {
                    version = (reader.GetString(1), reader.GetInt32(2), reader.GetString(3), []);
                    versions[id] = version;
                }

                if (reader.IsDBNull(4))
                {
                    continue;
                }

                var (locale, markdown, stored) = (reader.GetString(4), reader.GetString(5), reader.GetString(6));
                var actual = PolicyDocumentReader.Sha256Hex(markdown);
                if (!string.Equals(actual, stored, StringComparison.Ordinal))
                {
                    tampering.Add(new("version", id, $"{version.Policy} version {version.Number}, text {locale}: its Markdown hashes to {actual}, recorded {stored}"));
                }

                version.Texts.Add(new PolicyText(locale, "", null, markdown, actual));
            }
        }

        foreach (var (id, version) in versions)
        {
            var actual = version.Texts.Count == 0 ? null : PolicyVersionBuilder.ContentHash(version.Texts);
            if (!string.Equals(actual, version.ContentHash, StringComparison.Ordinal))
            {
                tampering.Add(new("version", id, actual is null
                    ? $"{version.Policy} version {version.Number} has no texts left"
                    : $"{version.Policy} version {version.Number}: its texts hash to {actual}, recorded {version.ContentHash}"));
            }
        }

        return versions.Values.ToDictionary(version => (version.Policy, version.Number), version => version.ContentHash);
    }

    private ChainFields Fields(DbDataReader reader) => new(
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        Text(reader, 4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Text(reader, 7),
        reader.GetString(8),
        database.ReadTime(reader, 9).ToUnixTimeMilliseconds(),
        Text(reader, 10),
        Text(reader, 11),
        reader.GetString(12),
        Text(reader, 13),
        database.ReadTime(reader, 14).ToUnixTimeMilliseconds(),
        Text(reader, 17));

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<long?> ScalarAsync(DbConnection connection, string sql, string realm, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql);
        command.AddParameter("@realm", realm);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
