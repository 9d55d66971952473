namespace IdpBridge.Testing;

/// <summary>
/// Finds the real Keycloak data in <c>../shared/</c> beside the repository, as CI and every developer have it.
/// <c>IDPBRIDGE_SHARED</c> overrides the location.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The <c>shared/</c> folder.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The <c>shared/keycloak/</c> folder: OpenAPI documents, exports, examples.</summary>
    public static string Keycloak => Path.Combine(Root, "keycloak");

    /// <summary>A path below <c>shared/keycloak/</c>.</summary>
    public static string KeycloakFile(params string[] parts) => Path.Combine([Keycloak, .. parts]);

    /// <summary>The repository root (the folder holding <c>IdpBridge.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("IDPBRIDGE_SHARED");
        var candidate = string.IsNullOrEmpty(fromEnvironment)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
            : Path.GetFullPath(fromEnvironment);
        if (!Directory.Exists(Path.Combine(candidate, "keycloak")))
        {
            throw new DirectoryNotFoundException(
                $"The shared Keycloak data was not found at '{candidate}'. It lives beside the repository as ../shared/ " +
                "(set IDPBRIDGE_SHARED to point elsewhere).");
        }

        return candidate;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdpBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No IdpBridge.sln above '{AppContext.BaseDirectory}'.");
    }
}
