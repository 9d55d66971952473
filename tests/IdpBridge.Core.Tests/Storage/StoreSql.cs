using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using IdpBridge.Core.Storage;
using Npgsql;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// SQL run on a store's database directly, bypassing the stores (as a hand edit or another tool would): on a
/// PostgreSQL database made with an owner role (<see cref="UseOwnerFor"/>) as that owner, who alone may turn the guards
/// off, else through the store's own connection.
/// </summary>
internal static class StoreSql
{
    private static readonly ConditionalWeakTable<PostgresDatabase, string> OwnerConnections = [];

    /// <summary>Runs later SQL on <paramref name="database"/> as the schema's owner (<paramref name="ownerConnectionString"/>).</summary>
    public static void UseOwnerFor(PostgresDatabase database, string ownerConnectionString) =>
        OwnerConnections.AddOrUpdate(database, ownerConnectionString);

    /// <summary>Runs <paramref name="sql"/>; returns the first column of the first row as a number (0 when there is none).</summary>
    public static async Task<long> ScalarAsync(IStoreDatabase database, string sql)
    {
        await using DbConnection connection = database switch
        {
            SqliteDatabase sqlite => await sqlite.OpenConnectionAsync(),
            PostgresDatabase postgres when OwnerConnections.TryGetValue(postgres, out var owner) => await OpenAsync(owner),
            PostgresDatabase postgres => await postgres.OpenConnectionAsync(),
            _ => throw new ArgumentException($"No SQL access to {database.Provider}.", nameof(database)),
        };
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
