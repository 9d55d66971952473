namespace IdpBridge.Testing.Storage;

/// <summary>One empty database on a <see cref="PostgresServer"/>, dropped (connections and all) on dispose.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly PostgresServer server;

    internal PostgresTestDatabase(PostgresServer server, string name, string connectionString)
    {
        this.server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A superuser connection string to this database (TCP, password authentication).</summary>
    public string ConnectionString { get; }

    /// <summary>The server holding it.</summary>
    public PostgresServer Server => server;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(server.DropDatabaseAsync(Name));
}
