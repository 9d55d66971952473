using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Npgsql;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// The service's stores logged in as a restricted PostgreSQL role (not the owner; migrated through the owner's
/// connection, as the README's Security section sets it up): the service's writes work, rewrites are refused by the
/// role's missing privileges before any trigger is asked.
/// </summary>
[TestFixture]
public sealed class PostgresServiceRoleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly LeaseOwner Owner = new("replica-1");

    private PostgresRoleDatabase handle = null!;
    private PostgresDatabase database = null!;

    [SetUp]
    public async Task CreateRolesAndMigrateAsTheOwner()
    {
        handle = await PostgresRoleDatabase.CreateSharedAsync("roles");
        database = new PostgresDatabase(handle.ServiceConnectionString, handle.OwnerConnectionString, TestRetention.Days);
        await database.MigrateAsync();
    }

    [TearDown]
    public async Task DropEverything()
    {
        await database.DisposeAsync();
        await handle.DisposeAsync();
    }

    [Test]
    public async Task Migrate_ThroughTheOwnerConnection_LeavesTheSchemaToTheOwner()
    {
        Assert.That(await StoreSql.ScalarAsync(database, $"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '{handle.OwnerRole}'"), Is.Zero);
        Assert.That(await StoreSql.ScalarAsync(database, "SELECT max(version) FROM schema_version"), Is.EqualTo(MigrationCount()));
        Assert.That(await StoreSql.ScalarAsync(database,
            "SELECT count(*) FROM (SELECT unnest(ARRAY['UPDATE','DELETE','TRUNCATE']) AS p) privileges WHERE has_table_privilege('acceptances', p)"), Is.Zero);
        Assert.That(await database.MigrateAsync(), Is.Zero, "a second start finds nothing to migrate and grants again");
    }

    [Test]
    public async Task Stores_AsTheServiceRole_WriteReadPruneAndVerify()
    {
        var ledger = new AdoAcceptanceLedger(database);
        var text = new PolicyText("es", "Privacidad", null, "# Privacidad\n", PolicyDocumentReader.Sha256Hex("# Privacidad\n"));
        var hash = PolicyVersionBuilder.ContentHash([text]);
        var (_, created) = await new AdoPolicyStore(database).AddAsync(new PolicyVersion("externos", "privacy", 0, PolicyVersionKind.Material, T0, T0, hash, [text]));
        var rollouts = new AdoRolloutStore(database);
        var (rollout, _) = await rollouts.CreateAsync("externos", "privacy", 1, hash, T0, "admin", 10);
        var leased = await rollouts.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(5));

        var added = await ledger.AppendAsync([Record("old", T0, hash), Record("new", T0.AddDays(30), hash)]);
        await ledger.AdvanceWatermarkAsync("externos", T0.AddDays(30), T0.AddDays(30));
        var pruned = await ledger.PruneAsync("externos", T0.AddDays(1), T0.AddDays(400));
        var verification = await new LedgerVerifier(database).VerifyAsync("externos");

        Assert.That((created, added, pruned), Is.EqualTo((true, 2, 1L)));
        Assert.That(leased, Is.True, "rollouts change state: the role may update them");
        Assert.That(verification.Tampering, Is.Empty);
        Assert.That(verification.Records, Is.EqualTo(1));
    }

    [TestCase("UPDATE acceptances SET decision = 'accepted'")]
    [TestCase("DELETE FROM acceptances")]
    [TestCase("TRUNCATE acceptances")]
    [TestCase("UPDATE policy_texts SET markdown = 'x'")]
    [TestCase("DELETE FROM policy_texts")]
    [TestCase("TRUNCATE policy_versions CASCADE")]
    [TestCase("INSERT INTO ledger_prunes (realm, pruned_before, pruned_at, row_count) VALUES ('externos', 'infinity', now(), 0)")]
    [TestCase("UPDATE ledger_retention SET retention_days = 1")]
    [TestCase("DELETE FROM ledger_retention")]
    [TestCase("ALTER TABLE acceptances DISABLE TRIGGER USER")]
    [TestCase("DROP TRIGGER acceptances_append_only ON acceptances")]
    public async Task RawSql_AsTheServiceRole_IsRefused(string sql)
    {
        await new AdoAcceptanceLedger(database).AppendAsync([Record("k1", T0, "h1")]);

        var refused = Assert.CatchAsync<PostgresException>(() => StoreSql.ScalarAsync(database, sql));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), refused.Message);
        Assert.That(await StoreSql.ScalarAsync(database, "SELECT count(*) FROM acceptances WHERE decision = 'declined'"), Is.EqualTo(1));
    }

    [TestCase("now() + interval '1 day'", "now()")]
    [TestCase("now() - interval '30 days'", "now()")]
    [TestCase("now() - interval '364 days'", "now() + interval '10 years'")]
    public async Task PruneFunction_AsTheServiceRoleWithACutOffInsideTheRetention_IsRefused(string before, string ranAt)
    {
        // A record older than any of these cut-offs: before migration 0009 the function deleted it.
        await new AdoAcceptanceLedger(database).AppendAsync([Record("k1", T0, "h1")]);

        var refused = Assert.CatchAsync<PostgresException>(() => StoreSql.ScalarAsync(database, $"SELECT idpbridge_prune_ledger('externos', {before}, {ranAt})"));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), refused.Message);
        Assert.That(refused.MessageText, Does.Contain($"younger than the retention of {TestRetention.Days} days the owner set"));
        Assert.That(await StoreSql.ScalarAsync(database, "SELECT count(*) FROM acceptances"), Is.EqualTo(1));
        Assert.That(await StoreSql.ScalarAsync(database, "SELECT count(*) FROM ledger_prunes"), Is.Zero);
    }

    private static int MigrationCount() => Core.Storage.Migrations.MigrationCatalog.For(StorageProvider.PostgreSql).Count;

    private static AcceptanceRecord Record(string key, DateTimeOffset at, string hash) =>
        new("externos", "u1", "ana", "privacy", 1, hash, AcceptanceDecision.Declined, at, "account", "192.0.2.7", AcceptanceSource.Event, key) { RecordedAt = at };
}
