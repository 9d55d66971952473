using System.Globalization;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Storage.Migrations;

namespace IdpBridge.Core.Doctor;

/// <summary>The store answers and its schema is this build's. The doctor never creates or migrates it.</summary>
internal static class StoreChecks
{
    public static async Task<DoctorFinding> RunAsync(IStoreDatabase store, IdpBridgeStorageOptions options, CancellationToken cancellationToken)
    {
        var name = options.Describe();
        // Opening a SQLite file that is absent would create it: say so instead.
        if (options.Provider == StorageProvider.Sqlite && !File.Exists(Path.GetFullPath(options.SqlitePath)))
        {
            return DoctorFinding.Of(DoctorCodes.StoreNotCreated, DoctorStatus.Warning, ("store", name));
        }

        int schema;
        try
        {
            await store.CheckAsync(cancellationToken).ConfigureAwait(false);
            schema = await store.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException exception)
        {
            return DoctorFinding.Of(DoctorCodes.StoreUnreachable, DoctorStatus.Problem, ("store", name), ("error", exception.Message));
        }

        var latest = MigrationCatalog.For(store.Provider).Max(migration => migration.Version);
        var facts = new (string, string?)[] { ("store", name), ("schema", Number(schema)), ("latest", Number(latest)) };
        return schema == latest ? DoctorFinding.Of(DoctorCodes.StoreReady, DoctorStatus.Ok, facts)
            : schema < latest ? DoctorFinding.Of(DoctorCodes.StoreNotMigrated, DoctorStatus.Warning, facts)
            : DoctorFinding.Of(DoctorCodes.StoreNewer, DoctorStatus.Problem, facts);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
