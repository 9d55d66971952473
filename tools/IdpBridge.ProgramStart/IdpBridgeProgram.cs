using System.Diagnostics;

namespace IdpBridge.ProgramStart;

/// <summary>
/// Starts one of IdpBridge's programs (<c>dotnet idpbridge.dll</c>, <c>dotnet IdpBridge.Service.dll</c>) or a script as
/// its own process, as a person runs it, for the try-it tool and the end-to-end tests alike: standard input, output and
/// error redirected, no shell, and only the settings given: every <c>IdpBridge__*</c> variable of the caller's
/// environment is removed first, so a leftover setting of the shell or the test host cannot point the program elsewhere.
/// </summary>
public static class IdpBridgeProgram
{
    /// <summary>The prefix of IdpBridge's settings in the environment (<c>IdpBridge__Keycloak__Url</c>).</summary>
    public const string SettingsPrefix = "IdpBridge__";

    /// <summary>
    /// The start of <paramref name="executable"/> with <paramref name="arguments"/> (for a .NET program: the
    /// <see cref="DotnetHost"/> and the assembly first), its environment the caller's without IdpBridge settings, then
    /// <paramref name="environment"/> (a null value removes the variable).
    /// </summary>
    public static ProcessStartInfo StartInfo(
        string executable, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>> environment, string? workingDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in CallersSettings())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>
    /// <paramref name="environment"/> for a process started some other way (in a process group of its own): each
    /// IdpBridge setting of the caller's environment mapped to null (removed), then <paramref name="environment"/>.
    /// </summary>
    public static Dictionary<string, string?> CleanedEnvironment(IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var variables = CallersSettings().ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>
    /// The <c>dotnet</c> host to run a program with: <c>DOTNET_HOST_PATH</c> (set by <c>dotnet test</c> and
    /// <c>dotnet run</c>), else this process's own host when it is <c>dotnet</c>, else the one on the PATH.
    /// </summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";

    private static List<string> CallersSettings() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith(SettingsPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
}
