using System.Data.Common;

namespace IdpBridge.Core.Storage;

/// <summary>Provider-neutral ADO.NET commands and their parameters: what every store and the migrator build commands with.</summary>
internal static class DbCommandExtensions
{
    /// <summary>A command running <paramref name="sql"/> outside any transaction.</summary>
    public static DbCommand CreateCommand(this DbConnection connection, string sql) => connection.CreateCommand(null, sql);

    /// <summary>A command running <paramref name="sql"/> in <paramref name="transaction"/> (none when null).</summary>
    public static DbCommand CreateCommand(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a parameter (null becomes <see cref="DBNull"/>) and returns it, so a prepared command can reuse it.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
