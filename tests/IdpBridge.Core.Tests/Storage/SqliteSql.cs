using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>SQL run on an open SQLite connection directly, as the migration tests build and read a file at an older schema.</summary>
internal static class SqliteSql
{
    /// <summary>Runs <paramref name="sql"/> (one statement or several), inside <paramref name="transaction"/> when given.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as invariant text.</summary>
    public static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
