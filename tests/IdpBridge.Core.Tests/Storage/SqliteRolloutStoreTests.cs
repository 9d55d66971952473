using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The rollout store contract on a fresh SQLite file per test.</summary>
[TestFixture]
public sealed class SqliteRolloutStoreTests : RolloutStoreContract
{
    private SqliteTestDatabases files = null!;

    protected override ITestDatabases Databases => files;

    [OneTimeSetUp]
    public void CreateFolder() => files = new SqliteTestDatabases();

    [OneTimeTearDown]
    public void DeleteFolder() => files.Dispose();
}
