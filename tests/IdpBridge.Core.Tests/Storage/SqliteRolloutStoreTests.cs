using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Storage.Migrations;
using IdpBridge.Keycloak.Http;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using static IdpBridge.Core.Tests.Storage.SqliteSql;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The rollout store contract on a fresh SQLite file per test, plus what only SQLite has: the tables rebuilt by a migration.</summary>
[TestFixture]
public sealed class SqliteRolloutStoreTests : RolloutStoreContract
{
    private SqliteTestDatabases files = null!;

    protected override ITestDatabases Databases => files;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();

    [Test]
    public async Task Migration12_FileWithARolloutItsUsersAndItsCap_KeepsEveryValueTheReferenceAndTheChecks()
    {
        // Arrange: a file at schema 11, as IdpBridge left it, holding a rollout with every column set, its cap's last
        // change, and users with Keycloak's errors, re-marks and later changes.
        var database = (SqliteDatabase)await CreateDatabaseAsync();
        await using var connection = await database.OpenConnectionAsync();
        await ExecuteAsync(connection, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '')");
        foreach (var migration in MigrationCatalog.For(StorageProvider.Sqlite).Where(migration => migration.Version <= 11))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, migration.Sql, transaction);
            await ExecuteAsync(connection, $"INSERT INTO schema_version (version, name) VALUES ({migration.Version}, '{migration.Name}')", transaction);
            await transaction.CommitAsync();
        }

        var at = T0.ToUnixTimeMilliseconds();
        const string errors = """[{"field":"email","errorMessage":"error-invalid-email","params":["email","bea@"]}]""";
        await ExecuteAsync(connection, $"""
            INSERT INTO rollouts (id, realm, policy, version_number, content_hash, started_at, started_by, status, phase, cursor_username,
                cursor_offset, users_total, scanned, marked, already_pending, already_accepted, skipped, failed, lease_owner, lease_until,
                updated_at, finished_at, message, exempted, remarked, in_flight_cap, in_flight_mode, in_flight_ceiling, in_flight_changes,
                cap_changed_at, cap_changed_from, cap_changed_to, cap_change_reason, cap_change_latency_ms, cap_change_calmest_ms)
            VALUES (7, 'externos', 'privacy', 2, 'h2', {at}, 'cli', 'cancelled', 'sweep', 'user000042', 42, 120, 44, 30, 5, 4, 2, 1,
                'replica-a/100/aaaa', {at + 60_000}, {at + 5_000}, {at + 6_000}, 'Stopped by request.', 1, 2, 12, 'adaptive', 64, 3,
                {at + 4_000}, 16, 12, 'latency_rose', 41.2, 18.1);
            INSERT INTO rollouts (id, realm, policy, version_number, content_hash, started_at, started_by, status, phase, updated_at)
                VALUES (9, 'externos', 'terms', 1, 'h1', {at}, 'service', 'running', 'scan', {at});
            INSERT INTO rollout_users (rollout_id, user_id, outcome, username, reason, errors, remarked, updated_at) VALUES
                (7, 'u1', 'marked', NULL, NULL, NULL, 2, {at + 3_000}),
                (7, 'u2', 'failed', 'bea', '400: error-invalid-email',
                    '{errors}', 0, {at + 2_000}),
                (7, 'u3', 'exempted', 'dan', 'Exempted by admin: a test account', NULL, 0, {at + 1_000}),
                (7, 'u4', 'pending', NULL, NULL, NULL, 0, NULL);
            """);
        var rolloutColumns = await QueryAsync(connection, "SELECT name FROM pragma_table_info('rollouts') ORDER BY cid");
        var userColumns = await QueryAsync(connection, "SELECT name FROM pragma_table_info('rollout_users') ORDER BY cid");
        var rolloutsBefore = await QueryAsync(connection, EveryValue("rollouts", rolloutColumns));
        var usersBefore = await QueryAsync(connection, EveryValue("rollout_users", userColumns));

        // Act: IdpBridge's own migration, on its own connection (foreign keys on, one transaction).
        var applied = await database.MigrateAsync();

        // Assert: every value kept, the two new columns empty, and the store reads it all back.
        var store = new AdoRolloutStore(database);
        var rollout = (await store.GetAsync(7))!;
        var failed = (await store.ListUsersAsync(7, RolloutUserKind.Failed, null, 10)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(applied, Is.EqualTo(1));
            Assert.That(await database.GetSchemaVersionAsync(), Is.EqualTo(12));
            Assert.That(await QueryAsync(connection, "SELECT name FROM pragma_table_info('rollouts') ORDER BY cid"),
                Is.EqualTo(rolloutColumns.Concat(["cap_change_answers_per_s", "cap_change_below_answers_per_s"])));
            Assert.That(await QueryAsync(connection, "SELECT name FROM pragma_table_info('rollout_users') ORDER BY cid"), Is.EqualTo(userColumns));
            Assert.That(await QueryAsync(connection, EveryValue("rollouts", rolloutColumns)), Is.EqualTo(rolloutsBefore));
            Assert.That(await QueryAsync(connection, EveryValue("rollout_users", userColumns)), Is.EqualTo(usersBefore));
            Assert.That(await QueryAsync(connection,
                    "SELECT quote(cap_change_answers_per_s) || '|' || quote(cap_change_below_answers_per_s) FROM rollouts ORDER BY id"),
                Is.EqualTo(new[] { "NULL|NULL", "NULL|NULL" }));
            Assert.That(rollout.InFlight, Is.EqualTo(new RolloutInFlight(12, InFlightMode.Adaptive, 64, 3,
                new ThrottleChange(T0.AddSeconds(4), 16, 12, ThrottleReason.LatencyRose, 41.2, 18.1))));
            Assert.That(rollout.Counts, Is.EqualTo(new RolloutCounts(30, 5, 4, 2, 1, Exempted: 1, Remarked: 2)));
            Assert.That((failed.UserId, failed.Username, failed.Reason, failed.UpdatedAt),
                Is.EqualTo(("u2", (string?)"bea", (string?)"400: error-invalid-email", (DateTimeOffset?)T0.AddSeconds(2))));
            Assert.That(failed.Errors.Select(error => $"{error.Field} {error.ErrorMessage} [{string.Join(",", error.Params)}]"),
                Is.EqualTo(new[] { "email error-invalid-email [email,bea@]" }));
        });

        // Assert: the reference now names the new rollouts and holds; the outcomes and the reasons are still checked.
        Assert.Multiple(async () =>
        {
            Assert.That(await QueryAsync(connection, "SELECT \"table\" FROM pragma_foreign_key_list('rollout_users')"), Is.EqualTo(new[] { "rollouts" }));
            Assert.That(await QueryAsync(connection, "SELECT count(*) FROM pragma_foreign_key_check"), Is.EqualTo(new[] { "0" }));
            Assert.That(await QueryAsync(connection,
                    "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'rollout_users' AND sql IS NOT NULL ORDER BY name"),
                Is.EqualTo(new[] { "rollout_users_by_outcome", "rollout_users_remarked" }));
            Assert.That(async () => await ExecuteAsync(connection,
                    "INSERT INTO rollout_users (rollout_id, user_id, outcome) VALUES (99, 'u1', 'marked')"),
                Throws.InstanceOf<SqliteException>().With.Message.Contains("FOREIGN KEY"));
            Assert.That(async () => await ExecuteAsync(connection, "DELETE FROM rollouts WHERE id = 7"),
                Throws.InstanceOf<SqliteException>().With.Message.Contains("FOREIGN KEY"));
            Assert.That(async () => await ExecuteAsync(connection,
                    "INSERT INTO rollout_users (rollout_id, user_id, outcome) VALUES (7, 'u5', 'lost')"),
                Throws.InstanceOf<SqliteException>().With.Message.Contains("CHECK"));
            Assert.That(async () => await ExecuteAsync(connection, "UPDATE rollouts SET cap_change_reason = 'latency_fell' WHERE id = 7"),
                Throws.InstanceOf<SqliteException>().With.Message.Contains("CHECK"));
            Assert.That(async () => await ExecuteAsync(connection, "UPDATE rollouts SET version_number = 1, policy = 'terms' WHERE id = 7"),
                Throws.InstanceOf<SqliteException>().With.Message.Contains("UNIQUE"));
            await ExecuteAsync(connection, "UPDATE rollouts SET cap_change_reason = 'throughput_flat' WHERE id = 7");
            await ExecuteAsync(connection, "INSERT INTO rollout_users (rollout_id, user_id, outcome) VALUES (9, 'u1', 'marked')");
        });
    }

    /// <summary>Each row of <paramref name="table"/> as one text of its <paramref name="columns"/>' values, quoted (NULL, 'text', 1.5).</summary>
    private static string EveryValue(string table, IEnumerable<string> columns) =>
        $"SELECT {string.Join(" || '|' || ", columns.Select(column => $"quote({column})"))} FROM {table} ORDER BY 1";
}
