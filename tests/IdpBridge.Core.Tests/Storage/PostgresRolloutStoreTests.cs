using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The rollout store contract on a real PostgreSQL server (the shared <see cref="PostgresServer"/>), a fresh database per test.</summary>
[TestFixture]
public sealed class PostgresRolloutStoreTests : RolloutStoreContract
{
    private readonly PostgresTestDatabases databases = new();

    protected override ITestDatabases Databases => databases;

    [Test]
    public async Task TryAcquireLeaseAsync_TimesInDatabase_AreTimestamptzMilliseconds()
    {
        // Arrange
        var rollout = (await Store.CreateAsync(Realm, Policy, 2, "hash-2", T0, "service", 1)).Rollout;

        // Act
        await Store.TryAcquireLeaseAsync(rollout.Id, Owner, T0, T0.AddMinutes(1).AddTicks(9_999));

        // Assert: truncated like SQLite's milliseconds, not rounded up by timestamptz(3).
        Assert.That(
            await ScalarAsync(Database, "SELECT count(*) FROM rollouts WHERE started_at = '2025-03-01 12:00:00.123+00' AND lease_until = '2025-03-01 12:01:00.123+00'"),
            Is.EqualTo(1));
    }
}
