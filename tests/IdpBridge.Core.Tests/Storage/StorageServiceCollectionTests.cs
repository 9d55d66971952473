using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>AddIdpBridgeStorage: configuration keys, validation at start-up, migration at start-up, safe twice.</summary>
[TestFixture]
public sealed class StorageServiceCollectionTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("idpbridge-di-").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task AddIdpBridgeStorage_NoSettings_UsesSqliteFileInTheUsersDataFolderWhateverTheCurrentFolder()
    {
        // Arrange
        await using var provider = Build([]);

        // Act
        var options = provider.GetRequiredService<IOptions<IdpBridgeStorageOptions>>().Value;

        // Assert
        Assert.That(options.Provider, Is.EqualTo(StorageProvider.Sqlite));
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        Assert.That(options.SqlitePath, Is.EqualTo(Path.Combine(data, "idpbridge", "idpbridge.db")));
        var database = provider.GetRequiredService<IStoreDatabase>();
        Assert.That(database, Is.TypeOf<SqliteDatabase>());
        Assert.That(((SqliteDatabase)database).Path, Is.EqualTo(Path.Combine(data, "idpbridge", "idpbridge.db")));
        Assert.That(options.Describe(), Is.EqualTo("SQLite " + Path.Combine(data, "idpbridge", "idpbridge.db")));
    }

    [Test]
    public async Task AddIdpBridgeStorage_CalledTwice_RegistersEachServiceOnce()
    {
        // Arrange
        var services = new ServiceCollection();

        // Act
        services.AddIdpBridgeStorage().AddIdpBridgeStorage();

        // Assert
        Assert.That(services.Count(d => d.ServiceType == typeof(IPolicyStore)), Is.EqualTo(1));
        Assert.That(services.Count(d => d.ServiceType == typeof(IStoreDatabase)), Is.EqualTo(1));
        Assert.That(services.Count(d => d.ServiceType == typeof(IHostedService)), Is.EqualTo(1));
        Assert.That(services.Count(d => d.ServiceType == typeof(IValidateOptions<IdpBridgeStorageOptions>)), Is.EqualTo(1));
        await Task.CompletedTask;
    }

    [Test]
    public async Task StartAsync_SqlitePathInMissingFolder_CreatesAndMigratesTheFile()
    {
        // Arrange
        var path = Path.Combine(folder, "data", "idpbridge.db");
        await using var provider = Build(new() { ["IdpBridge:Storage:SqlitePath"] = path });

        // Act
        await StartAsync(provider);

        // Assert
        Assert.That(File.Exists(path), Is.True);
        var store = provider.GetRequiredService<IPolicyStore>();
        Assert.That(store, Is.TypeOf<AdoPolicyStore>());
        Assert.That(provider.GetRequiredService<IStoreDatabase>(), Is.TypeOf<SqliteDatabase>());
        Assert.That(await store.ListPoliciesAsync("externos"), Is.Empty);
        Assert.That(provider.GetRequiredService<IStoreHealth>(), Is.SameAs(provider.GetRequiredService<IStoreDatabase>()));
        await provider.GetRequiredService<IStoreHealth>().CheckAsync();
    }

    [Test]
    public async Task StartAsync_PostgresqlProvider_MigratesTheDatabase()
    {
        // Arrange: set up as the README's Security section says, the service's restricted role and the owner's connection.
        await using var database = await PostgresRoleDatabase.CreateSharedAsync("di");
        await using var provider = Build(new()
        {
            ["IdpBridge:Storage:Provider"] = "postgresql",
            ["IdpBridge:Storage:ConnectionString"] = database.ServiceConnectionString,
            ["IdpBridge:Storage:OwnerConnectionString"] = database.OwnerConnectionString,
        });

        // Act
        await StartAsync(provider);

        // Assert
        var store = provider.GetRequiredService<IPolicyStore>();
        Assert.That(store, Is.TypeOf<AdoPolicyStore>());
        Assert.That(await store.ListPoliciesAsync("externos"), Is.Empty, "the service's role reads what the owner's migration granted");
        var postgres = (PostgresDatabase)provider.GetRequiredService<IStoreDatabase>();
        Assert.That(await postgres.GetSchemaVersionAsync(), Is.EqualTo(Core.Storage.Migrations.MigrationCatalog.For(StorageProvider.PostgreSql).Count));
        await using var connection = await postgres.OpenConnectionAsync();
        await using var owners = new NpgsqlCommand("SELECT current_user, (SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public')", connection);
        await using var reader = await owners.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.That((reader.GetString(0), reader.GetString(1)), Is.EqualTo((database.ServiceRole, database.OwnerRole)));
    }

    [Test]
    public async Task StartAsync_PostgresqlWithoutConnectionString_FailsNamingTheSetting()
    {
        // Arrange
        await using var provider = Build(new() { ["IdpBridge:Storage:Provider"] = "PostgreSQL" });

        // Act
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(provider));

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:ConnectionString is required"));
    }

    [TestCase("Host=db;Pasword=Sup3r-Secret;Database=x", "Sup3r-Secret")]
    [TestCase("Host=db;Password=Sup3r-Secret;Port=notanumber", "Sup3r-Secret")]
    [TestCase("Password=Sup3r-Secret;Database=x", "Sup3r-Secret")]
    public async Task StartAsync_MalformedConnectionString_FailsWithoutThePassword(string connectionString, string password)
    {
        // Arrange
        await using var provider = Build(new()
        {
            ["IdpBridge:Storage:Provider"] = "postgresql",
            ["IdpBridge:Storage:ConnectionString"] = connectionString,
        });

        // Act
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(provider));

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:ConnectionString"));
        Assert.That(exception.ToString(), Does.Not.Contain(password));
    }

    [TestCase("sqlite", "Host=db;Database=idpbridge;Username=owner;Password=Sup3r-Secret", "OwnerConnectionString is for PostgreSQL only")]
    [TestCase("postgresql", "Host=elsewhere;Database=idpbridge;Username=owner;Password=Sup3r-Secret", "OwnerConnectionString must name the database")]
    [TestCase("postgresql", "Host=db;Database=other;Username=owner;Password=Sup3r-Secret", "OwnerConnectionString must name the database")]
    [TestCase("postgresql", "Database=idpbridge;Username=owner;Password=Sup3r-Secret", "OwnerConnectionString names no Host")]
    public async Task StartAsync_BadOwnerConnectionString_FailsNamingItWithoutThePasswords(string storageProvider, string owner, string expected)
    {
        // Arrange
        await using var provider = Build(new()
        {
            ["IdpBridge:Storage:Provider"] = storageProvider,
            ["IdpBridge:Storage:ConnectionString"] = "Host=db;Database=idpbridge;Username=app;Password=App-Secret-2",
            ["IdpBridge:Storage:OwnerConnectionString"] = owner,
        });

        // Act
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(provider));

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:" + expected));
        Assert.That(exception.ToString(), Does.Not.Contain("Sup3r-Secret").And.Not.Contain("App-Secret-2"));
    }

    [Test]
    public async Task StartAsync_WrongPassword_FailsAtStartWithoutThePassword()
    {
        // Arrange
        await using var database = await PostgresServer.CreateSharedDatabaseAsync("di");
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "Not-The-Password-1" }.ConnectionString;
        await using var provider = Build(new()
        {
            ["IdpBridge:Storage:Provider"] = "postgresql",
            ["IdpBridge:Storage:ConnectionString"] = wrong,
        });

        // Act
        var exception = Assert.ThrowsAsync<StorageException>(() => StartAsync(provider));

        // Assert
        Assert.That(exception!.Message, Does.Contain("IdpBridge:Storage:ConnectionString").And.Contain("Password=***"));
        Assert.That(exception.ToString(), Does.Not.Contain("Not-The-Password-1"));
    }

    [Test]
    public async Task StartAsync_UnknownProvider_FailsNamingTheSetting()
    {
        // Arrange
        await using var provider = Build(new() { ["IdpBridge:Storage:Provider"] = "mysql" });

        // Act
        var exception = Assert.CatchAsync<InvalidOperationException>(() => StartAsync(provider));

        // Assert
        Assert.That(exception!.ToString(), Does.Contain("IdpBridge:Storage:Provider"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddIdpBridgeStorage();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>What the generic host does at start: validate options registered with ValidateOnStart, then start hosted services.</summary>
    private static async Task StartAsync(IServiceProvider provider)
    {
        provider.GetRequiredService<IStartupValidator>().Validate();
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }
}
