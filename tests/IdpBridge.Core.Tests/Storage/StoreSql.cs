using System.Data.Common;
using System.Globalization;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>SQL run on a store's database directly, bypassing the stores (as a hand edit or another tool would).</summary>
internal static class StoreSql
{
    /// <summary>Runs <paramref name="sql"/>; returns the first column of the first row as a number (0 when there is none).</summary>
    public static async Task<long> ScalarAsync(IStoreDatabase database, string sql)
    {
        await using DbConnection connection = database switch
        {
            SqliteDatabase sqlite => await sqlite.OpenConnectionAsync(),
            PostgresDatabase postgres => await postgres.OpenConnectionAsync(),
            _ => throw new ArgumentException($"No SQL access to {database.Provider}.", nameof(database)),
        };
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }
}
