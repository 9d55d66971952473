namespace IdpBridge.Core.Storage;

/// <summary>
/// Folders and files that hold who accepted what, or the keys that protect sign-ins: readable by the service's own
/// user only on Unix (folders 0700, files 0600). On Windows they inherit the folder's access list.
/// </summary>
public static class OwnerOnlyFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> and its missing parents, the new ones owner-only. An existing folder keeps its
    /// mode unless <paramref name="tightenExisting"/>: a store's folder may be one the administrator shares.
    /// </summary>
    public static void CreateFolder(string path, bool tightenExisting = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        if (tightenExisting)
        {
            File.SetUnixFileMode(path, FolderMode);
        }
    }

    /// <summary>Creates an empty owner-only file at <paramref name="path"/> unless one exists; an existing file is left as it is.</summary>
    public static void CreateFileIfAbsent(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: it is theirs to have made right.
        }
    }
}
