using Npgsql;

namespace IdpBridge.Testing.Storage;

/// <summary>
/// One empty database on a <see cref="PostgresServer"/> set up as the README's Security section says: owned by a role
/// of its own (<see cref="OwnerConnectionString"/>, which migrates), and a restricted service role that owns nothing
/// and may only connect (<see cref="ServiceConnectionString"/>) until the owner's migration grants it its rights.
/// Both roles are made for this database alone and dropped with it.
/// </summary>
public sealed class PostgresRoleDatabase : IAsyncDisposable
{
    private const string OwnerPassword = "owner-pw";
    private const string ServicePassword = "app-pw";

    private readonly PostgresTestDatabase database;

    private PostgresRoleDatabase(PostgresTestDatabase database, string ownerRole, string serviceRole)
    {
        this.database = database;
        OwnerRole = ownerRole;
        ServiceRole = serviceRole;
    }

    /// <summary>The role that owns the database and its schema.</summary>
    public string OwnerRole { get; }

    /// <summary>The service's restricted role.</summary>
    public string ServiceRole { get; }

    /// <summary>The database's name.</summary>
    public string Name => database.Name;

    /// <summary>The server holding it.</summary>
    public PostgresServer Server => database.Server;

    /// <summary>The owner's connection string (what <c>IdpBridge:Storage:OwnerConnectionString</c> would hold).</summary>
    public string OwnerConnectionString => As(OwnerRole, OwnerPassword);

    /// <summary>The service role's connection string (what <c>IdpBridge:Storage:ConnectionString</c> would hold).</summary>
    public string ServiceConnectionString => As(ServiceRole, ServicePassword);

    /// <summary>A new database on the shared server with its owner and service roles, dropped (roles too) on dispose.</summary>
    public static async Task<PostgresRoleDatabase> CreateSharedAsync(string prefix = "roles")
    {
        var database = await PostgresServer.CreateSharedDatabaseAsync(prefix).ConfigureAwait(false);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var roles = new PostgresRoleDatabase(database, $"idpbridge_owner_{suffix}", $"idpbridge_app_{suffix}");
        try
        {
            await roles.SuperuserAsync(
                $"CREATE ROLE {roles.OwnerRole} LOGIN PASSWORD '{OwnerPassword}'; CREATE ROLE {roles.ServiceRole} LOGIN PASSWORD '{ServicePassword}'; " +
                $"ALTER DATABASE \"{database.Name}\" OWNER TO {roles.OwnerRole}; REVOKE ALL ON DATABASE \"{database.Name}\" FROM PUBLIC; " +
                $"GRANT CONNECT ON DATABASE \"{database.Name}\" TO {roles.ServiceRole}",
                "postgres").ConfigureAwait(false);
            await roles.SuperuserAsync($"ALTER SCHEMA public OWNER TO {roles.OwnerRole}; REVOKE CREATE ON SCHEMA public FROM PUBLIC", database.Name)
                .ConfigureAwait(false);
            return roles;
        }
        catch
        {
            await roles.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops the database (connections and all), then both roles.</summary>
    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync().ConfigureAwait(false);
        await SuperuserAsync($"DROP ROLE IF EXISTS {ServiceRole}; DROP ROLE IF EXISTS {OwnerRole}", "postgres").ConfigureAwait(false);
    }

    private string As(string role, string password) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;

    private async Task SuperuserAsync(string sql, string databaseName)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString(databaseName));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
