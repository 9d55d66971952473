using System.Globalization;
using System.Reflection;

namespace IdpBridge.Core.Storage.Migrations;

/// <summary>One numbered schema change of one provider.</summary>
/// <param name="Version">1, 2, 3... from the file name <c>0001_name.sql</c>.</param>
/// <param name="Name">The rest of the file name (<c>policy_versions</c>).</param>
/// <param name="Sql">The script, run in one transaction.</param>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The migrations of each provider, read from the embedded <c>Storage/Migrations/&lt;Provider&gt;/NNNN_name.sql</c>
/// files. Adding a migration is adding one such file per provider: nothing else lists them.
/// </summary>
internal static class MigrationCatalog
{
    private const string Prefix = "IdpBridge.Storage.Migrations/";

    private static readonly Lazy<IReadOnlyList<Migration>> Sqlite = new(() => Load("Sqlite"));
    private static readonly Lazy<IReadOnlyList<Migration>> PostgreSql = new(() => Load("PostgreSql"));

    public static IReadOnlyList<Migration> For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite.Value,
        StorageProvider.PostgreSql => PostgreSql.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };

    internal static IReadOnlyList<Migration> Load(string folder)
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var normalized = resource.Replace('\\', '/');
            if (!normalized.StartsWith(Prefix + folder + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = normalized[(Prefix.Length + folder.Length + 1)..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0
                || !fileName.EndsWith(".sql", StringComparison.Ordinal)
                || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration file '{fileName}' of {folder} is not named NNNN_name.sql.");
            }

            migrations.Add(new Migration(version, fileName[(underscore + 1)..^4], ReadResource(assembly, resource)));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"The {folder} migrations must be numbered 1, 2, 3... without gaps or repeats; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
