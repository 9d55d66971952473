namespace IdpBridge.TryIt;

/// <summary>
/// The settings of the running stack for <c>idpbridge</c> (<c>cli.env</c> in the state folder, shell syntax, mode
/// 0600): <c>scripts/try-it.sh idpbridge ...</c> reads it, so that a person's commands reach the same Keycloak and
/// store. It holds the bootstrap admin client's secret and the service client's secret; it is deleted when the run stops.
/// </summary>
internal static class CliEnvironmentFile
{
    /// <summary>The file in <paramref name="stateFolder"/>.</summary>
    public static string PathIn(string stateFolder) => Path.Combine(stateFolder, "cli.env");

    /// <summary>Writes <paramref name="settings"/> as <c>export NAME='value'</c> lines, readable by the owner only.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, string> settings)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        using var writer = new StreamWriter(path, options);
        writer.WriteLine("# Settings of the running try-it stack for idpbridge (scripts/try-it.sh idpbridge ...). Secrets: keep private.");
        foreach (var (name, value) in settings)
        {
            writer.WriteLine($"export {name}='{value.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        }
    }
}
