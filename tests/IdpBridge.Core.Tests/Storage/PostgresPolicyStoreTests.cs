using NUnit.Framework;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Npgsql;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// The policy store contract on a real PostgreSQL server (the shared <see cref="PostgresServer"/>), a fresh database
/// per test, plus PostgreSQL's own failures: credentials and unreachable servers.
/// </summary>
[TestFixture]
public sealed class PostgresPolicyStoreTests : PolicyStoreContract
{
    private readonly PostgresTestDatabases databases = new();

    protected override ITestDatabases Databases => databases;

    [Test]
    public async Task MigrateAsync_WrongPassword_FailsNamingTheSettingWithoutThePassword()
    {
        // Arrange
        var server = await PostgresServer.GetAsync();
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = "Wrong-Secret-4711" };
        await using var database = new PostgresDatabase(builder.ConnectionString);

        // Act
        var exception = Assert.ThrowsAsync<StorageException>(() => database.MigrateAsync());

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:ConnectionString").And.Contain("password authentication failed"));
        Assert.That(exception.ToString(), Does.Not.Contain("Wrong-Secret-4711"));
        Assert.That(exception.Message, Does.Contain("Password=***"));
    }

    [Test]
    public async Task CheckAsync_NothingListening_FailsWithoutThePassword()
    {
        // Arrange: a port that was free a moment ago.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Username=u;Password=Hidden-99;Timeout=3");

        // Act
        var exception = Assert.ThrowsAsync<StorageException>(() => database.CheckAsync());

        // Assert
        Assert.That(exception!.Message, Does.Contain($"Port={port}"));
        Assert.That(exception.ToString(), Does.Not.Contain("Hidden-99"));
    }

    [Test]
    public async Task AddAsync_TimesInDatabase_AreTimestamptzMilliseconds()
    {
        // Act
        await Store.AddAsync(Simple("uno"));

        // Assert
        Assert.That(
            await ScalarAsync(Database, "SELECT count(*) FROM policy_versions WHERE published_at = '2025-03-01 12:00:00.123+00'"),
            Is.EqualTo(1));
    }

    protected override IPolicyStore CreateStore(IStoreDatabase database) => new AdoPolicyStore((IAdoDatabase)database);
}
