using System.IO.Compression;
using System.Security.Cryptography;

namespace IdpBridge.KeycloakLauncher;

/// <summary>
/// A Keycloak server distribution zip, unpacked once into a cache folder outside the checkout and shared, read-only,
/// by every server started from it (<see cref="KeycloakServer"/> gives each server a home of its own).
/// </summary>
/// <remarks>
/// The cache is keyed by the zip's SHA-256, so a different zip never reuses a stale unpacking. Two processes unpacking
/// at once each unpack into a folder of their own and move it into place; the loser deletes its copy.
/// The cache lives in <c>$IDPBRIDGE_KEYCLOAK_CACHE</c>, else <c>$XDG_CACHE_HOME/idpbridge/keycloak</c>, else
/// <c>~/.cache/idpbridge/keycloak</c>.
/// </remarks>
public sealed class KeycloakDistribution
{
    /// <summary>The environment variable naming the distribution zip.</summary>
    public const string ZipVariable = "IDPBRIDGE_KEYCLOAK_ZIP";

    /// <summary>The environment variable naming the cache folder.</summary>
    public const string CacheVariable = "IDPBRIDGE_KEYCLOAK_CACHE";

    /// <summary>Where people download the distribution; the tests use the copy in <c>../shared/keycloak-dist/</c>.</summary>
    public const string DownloadHint =
        "download keycloak-26.7.3.zip from https://github.com/keycloak/keycloak/releases/tag/26.7.3 (or Maven Central's " +
        "org.keycloak:keycloak-quarkus-dist:26.7.3:zip)";

    private static readonly SemaphoreSlim UnpackLock = new(1, 1);

    private KeycloakDistribution(string zipPath, string sha256, string cacheFolder, string root, string version)
    {
        ZipPath = zipPath;
        Sha256 = sha256;
        CacheFolder = cacheFolder;
        Root = root;
        Version = version;
    }

    /// <summary>The zip it was unpacked from.</summary>
    public string ZipPath { get; }

    /// <summary>The zip's SHA-256 (lower-case hex).</summary>
    public string Sha256 { get; }

    /// <summary>This zip's folder in the cache (the unpacked distribution and its saved builds).</summary>
    public string CacheFolder { get; }

    /// <summary>The unpacked distribution (the folder holding <c>bin/kc.sh</c>). Never written to.</summary>
    public string Root { get; }

    /// <summary>Keycloak's version, from <c>version.txt</c> (e.g. <c>26.7.3</c>).</summary>
    public string Version { get; }

    /// <summary>The server's own jars, to compile a provider against (<c>lib/lib/main</c>).</summary>
    public string LibraryFolder => Path.Combine(Root, "lib", "lib", "main");

    /// <summary>
    /// The zip at <paramref name="zipPath"/>, else the one <c>$IDPBRIDGE_KEYCLOAK_ZIP</c> names, unpacked into the cache
    /// (at once when it already is). Throws <see cref="KeycloakLaunchException"/> saying where to get it when it is missing.
    /// </summary>
    public static async Task<KeycloakDistribution> OpenAsync(string? zipPath = null, CancellationToken cancellationToken = default)
    {
        zipPath ??= Environment.GetEnvironmentVariable(ZipVariable);
        if (string.IsNullOrEmpty(zipPath))
        {
            throw new KeycloakLaunchException($"No Keycloak distribution zip was given: pass its path or set {ZipVariable}; {DownloadHint}.");
        }

        zipPath = Path.GetFullPath(zipPath);
        if (!File.Exists(zipPath))
        {
            throw new KeycloakLaunchException($"The Keycloak distribution zip {zipPath} does not exist; {DownloadHint}.");
        }

        var sha256 = await HashAsync(zipPath, cancellationToken).ConfigureAwait(false);
        var cacheFolder = Path.Combine(CacheRoot(), sha256[..16]);
        var unpacked = Path.Combine(cacheFolder, "dist");
        await UnpackLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Directory.Exists(unpacked))
            {
                await UnpackAsync(zipPath, cacheFolder, unpacked, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            UnpackLock.Release();
        }

        var root = Directory.GetDirectories(unpacked).SingleOrDefault(folder => File.Exists(Path.Combine(folder, "bin", "kc.sh")))
            ?? throw new KeycloakLaunchException($"{zipPath} is not a Keycloak server distribution: no */bin/kc.sh inside.");
        return new KeycloakDistribution(zipPath, sha256, cacheFolder, root, ReadVersion(root));
    }

    /// <summary>The cache folder in use (see the remarks).</summary>
    public static string CacheRoot()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseFolder = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(baseFolder, "idpbridge", "keycloak");
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static async Task UnpackAsync(string zipPath, string cacheFolder, string unpacked, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheFolder);
        var staging = Path.Combine(cacheFolder, $".unpacking-{Guid.NewGuid():N}");
        try
        {
            await ZipFile.ExtractToDirectoryAsync(zipPath, staging, cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                foreach (var script in Directory.EnumerateFiles(staging, "*.sh", SearchOption.AllDirectories))
                {
                    // The zip records the scripts as executable; make sure whatever extracted it kept that.
                    File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }
            }

            Directory.Move(staging, unpacked);
        }
        catch (IOException) when (Directory.Exists(unpacked))
        {
            // Another process moved its unpacking into place first: use that one.
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static string ReadVersion(string root)
    {
        var file = Path.Combine(root, "version.txt");
        var text = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
        // "Keycloak - Version 26.7.3" or similar: the last word.
        var last = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(last) ? Path.GetFileName(root).Replace("keycloak-", "", StringComparison.Ordinal) : last;
    }
}
