using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>
/// The database holds every prune to the retention its migration was configured with (<see cref="TestRetention.Days"/>),
/// whatever cut-off the caller gives; each test on a fresh database per provider (PostgreSQL: as the restricted role).
/// Times are the real clock's: the database checks a cut-off against its own.
/// </summary>
public abstract class LedgerRetentionContract : StoreContract
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();

    private IAcceptanceLedger Ledger { get; set; } = null!;

    [SetUp]
    public async Task AppendAnOldAndAYoungRecord()
    {
        Ledger = new AdoAcceptanceLedger((IAdoDatabase)Database);
        await Ledger.AppendAsync([Record("old", Now.AddDays(-TestRetention.Days - 35)), Record("young", Now.AddDays(-10))]);
    }

    [TestCase(30)]
    [TestCase(TestRetention.Days - 1)]
    public async Task PruneAsync_CutOffInsideTheRetention_IsRefusedByTheDatabase(int days)
    {
        var refused = Assert.ThrowsAsync<StorageException>(() => Ledger.PruneAsync(Realm, Now.AddDays(-days), Now));

        Assert.That(refused!.Message, Does.Contain("a prune keeps every record younger than the retention"));
        Assert.That(await Keys(), Is.EqualTo(new[] { "old", "young" }));
        Assert.That(await ScalarAsync(Database, "SELECT count(*) FROM ledger_prunes"), Is.Zero);
    }

    [Test]
    public async Task PruneAsync_CutOffAtTheRetention_DeletesTheOlderRecordsAndTheLedgerStillVerifies()
    {
        var pruned = await Ledger.PruneAsync(Realm, Now.AddDays(-TestRetention.Days), Now);
        var verification = await new LedgerVerifier((IAdoDatabase)Database).VerifyAsync(Realm);

        Assert.That(pruned, Is.EqualTo(1));
        Assert.That(await Keys(), Is.EqualTo(new[] { "young" }));
        Assert.That(verification.Tampering, Is.Empty);
        Assert.That((verification.Records, verification.Intact), Is.EqualTo((1, true)));
    }

    [Test]
    public async Task PruneAsync_AfterAMigrationWithRetentionOff_IsRefusedWhateverTheCutOff()
    {
        var off = OpenAgain(Database, retentionDays: 0);
        await off.MigrateAsync();

        var refused = Assert.ThrowsAsync<StorageException>(() => new AdoAcceptanceLedger((IAdoDatabase)off).PruneAsync(Realm, Now.AddDays(-3650), Now));

        Assert.That(refused!.Message, Does.Contain("retention is off in this database"));
        Assert.That(await ScalarAsync(Database, "SELECT retention_days FROM ledger_retention"), Is.Zero);
        Assert.That(await Keys(), Is.EqualTo(new[] { "old", "young" }));
    }

    [Test]
    public async Task MigrateAsync_RetentionConfigured_IsWhatTheDatabaseHolds()
    {
        Assert.That(await ScalarAsync(Database, "SELECT retention_days FROM ledger_retention"), Is.EqualTo(TestRetention.Days));

        await OpenAgain(Database, retentionDays: 1825).MigrateAsync();

        Assert.That(await ScalarAsync(Database, "SELECT retention_days FROM ledger_retention"), Is.EqualTo(1825));
        Assert.That(() => Ledger.PruneAsync(Realm, Now.AddDays(-TestRetention.Days), Now), Throws.TypeOf<StorageException>(),
            "a longer retention the owner set holds a prune configured shorter back");
    }

    private Task<List<string>> Keys() => Ledger.ReadAsync(new LedgerQuery { Realm = Realm }).Select(record => record.EventKey).ToListAsync().AsTask();

    private static AcceptanceRecord Record(string key, DateTimeOffset at) =>
        new(Realm, key, key, Policy, 1, "h1", AcceptanceDecision.Accepted, at, "account", "192.0.2.7", AcceptanceSource.Event, key) { RecordedAt = at };
}
