using System.Data.Common;

namespace IdpBridge.Core.Storage;

/// <summary>
/// What the owner connection grants the service's role after migrating (PostgreSQL, when
/// <see cref="IdpBridgeStorageOptions.OwnerConnectionString"/> is set): the schema's use; on the insert-only tables
/// (the acceptance record, policy versions and texts) SELECT and INSERT; on the tables only migrations and the prune
/// write SELECT; on every other table (rollouts, watermarks: state that changes) SELECT, INSERT, UPDATE, DELETE; never
/// TRUNCATE; and EXECUTE on the prune function. Revokes the rest, so a grant made by hand earlier does not linger.
/// Runs at every start, so a table a new migration adds is granted at once.
/// </summary>
internal static class PostgresServiceRoleGrants
{
    /// <summary>Tables the service adds rows to and never changes.</summary>
    internal static readonly IReadOnlySet<string> InsertOnly = new HashSet<string>(StringComparer.Ordinal) { "acceptances", "policy_versions", "policy_texts" };

    /// <summary>
    /// Tables only migrations and the prune function (as the owner) write; <c>ledger_retention</c> above all, the
    /// retention every prune is held to.
    /// </summary>
    internal static readonly IReadOnlySet<string> ReadOnly =
        new HashSet<string>(StringComparer.Ordinal) { "schema_version", "ledger_prunes", "ledger_chain_start", "ledger_retention" };

    /// <summary>Grants <paramref name="serviceRole"/> its rights on the current schema, through <paramref name="owner"/>.</summary>
    public static async Task GrantAsync(DbConnection owner, string serviceRole, CancellationToken cancellationToken)
    {
        // Under the migration lock: two replicas granting at once would fail with "tuple concurrently updated".
        await using var transaction = await PostgresDatabase.BeginWithAdvisoryLockAsync(owner, cancellationToken, PostgresDatabase.MigrationLockKey).ConfigureAwait(false);
        string schema;
        await using (var current = owner.CreateCommand(transaction, "SELECT current_schema()"))
        {
            schema = Quote((string)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }

        var tables = new List<string>();
        await using (var list = owner.CreateCommand(transaction, "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var role = Quote(serviceRole);
        var statements = new List<string> { $"GRANT USAGE ON SCHEMA {schema} TO {role}" };
        foreach (var table in tables)
        {
            var name = Quote(table);
            var rights = InsertOnly.Contains(table) ? "SELECT, INSERT" : ReadOnly.Contains(table) ? "SELECT" : "SELECT, INSERT, UPDATE, DELETE";
            statements.Add($"REVOKE ALL ON TABLE {name} FROM {role}");
            statements.Add($"GRANT {rights} ON TABLE {name} TO {role}");
        }

        statements.Add($"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}");
        statements.Add($"GRANT EXECUTE ON FUNCTION idpbridge_prune_ledger(text, timestamptz, timestamptz) TO {role}");
        foreach (var statement in statements)
        {
            await using var command = owner.CreateCommand(transaction, statement);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A role or table name as a quoted SQL identifier.</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
