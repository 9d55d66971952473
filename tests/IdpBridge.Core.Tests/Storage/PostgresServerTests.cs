using IdpBridge.Testing.Storage;
using Npgsql;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The test fixture's own promises: one shared real server, a database per caller, nothing left behind.</summary>
[TestFixture]
public sealed class PostgresServerTests
{
    [Test]
    public async Task GetAsync_TwoCalls_ShareOneRunningServer()
    {
        // Act
        var first = await PostgresServer.GetAsync();
        var second = await PostgresServer.GetAsync();

        // Assert
        Assert.That(second, Is.SameAs(first));
        TestContext.Out.WriteLine($"PostgreSQL {first.Version} on 127.0.0.1:{first.Port}, started in {first.StartupTime.TotalMilliseconds:F0} ms");
        await using var connection = new NpgsqlConnection(first.ConnectionString());
        await connection.OpenAsync();
        Assert.That(connection.PostgreSqlVersion.Major, Is.GreaterThanOrEqualTo(13));
    }

    [Test]
    public async Task CreateDatabaseAsync_Disposed_DropsTheDatabase()
    {
        // Arrange
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync("probe");
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
        }

        // Act
        await database.DisposeAsync();

        // Assert
        await using var admin = new NpgsqlConnection(server.ConnectionString());
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        command.Parameters.AddWithValue("name", database.Name);
        Assert.That(await command.ExecuteScalarAsync(), Is.Zero);
    }

    [Test]
    public async Task StartAsync_OwnServer_StopsAndDeletesItsFolderOnDispose()
    {
        // Arrange
        var server = await PostgresServer.StartAsync();
        var folder = server.Folder;
        Assert.That(Directory.Exists(Path.Combine(folder, "data")), Is.True);

        // Act
        await server.DisposeAsync();

        // Assert
        Assert.That(Directory.Exists(folder), Is.False);
        await using var connection = new NpgsqlConnection(server.ConnectionString() + ";Timeout=2;Pooling=false");
        Assert.CatchAsync<NpgsqlException>(() => connection.OpenAsync());
    }
}
