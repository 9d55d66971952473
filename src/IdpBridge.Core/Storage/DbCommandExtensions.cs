using System.Data.Common;

namespace IdpBridge.Core.Storage;

/// <summary>Parameters for provider-neutral ADO.NET commands.</summary>
internal static class DbCommandExtensions
{
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
