using IdpBridge.Core.Storage;
using IdpBridge.Core.Storage.Migrations;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The embedded migration files: numbered without gaps, the same list on both providers.</summary>
[TestFixture]
public sealed class MigrationCatalogTests
{
    [Test]
    public void For_BothProviders_SameNumbersAndNames()
    {
        // Act
        var sqlite = MigrationCatalog.For(StorageProvider.Sqlite);
        var postgres = MigrationCatalog.For(StorageProvider.PostgreSql);

        // Assert
        Assert.That(sqlite.Select(m => m.Version), Is.EqualTo(Enumerable.Range(1, sqlite.Count)));
        Assert.That(postgres.Select(m => (m.Version, m.Name)), Is.EqualTo(sqlite.Select(m => (m.Version, m.Name))));
        Assert.That(sqlite[0].Name, Is.EqualTo("policy_versions"));
        Assert.That(sqlite.Concat(postgres).All(m => m.Sql.Contains("CREATE", StringComparison.Ordinal) || m.Sql.Contains("ALTER TABLE", StringComparison.Ordinal)), Is.True);
    }
}
