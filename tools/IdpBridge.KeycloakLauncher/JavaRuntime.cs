using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IdpBridge.KeycloakLauncher;

/// <summary>The Java runtime Keycloak runs on: <c>$JAVA_HOME/bin/java</c>, else <c>java</c> on the PATH, version 17 or newer.</summary>
public sealed partial record JavaRuntime(string Executable, int MajorVersion)
{
    /// <summary>The oldest Java that Keycloak 26 runs on.</summary>
    public const int MinimumVersion = 17;

    private const string InstallHint = "install Debian's openjdk-17-jre-headless (scripts/setup.sh does), or set JAVA_HOME to a Java 17+ runtime";

    /// <summary>Finds Java and checks its version; throws <see cref="KeycloakLaunchException"/> saying what to install.</summary>
    public static JavaRuntime Find()
    {
        var executable = Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } home
            ? Path.Combine(home, "bin", "java")
            : FindOnPath("java");
        if (executable is null || !File.Exists(executable))
        {
            throw new KeycloakLaunchException($"Java was not found ({(executable is null ? "no java on the PATH" : $"{executable} is missing")}): {InstallHint}.");
        }

        var version = ReadMajorVersion(executable);
        if (version < MinimumVersion)
        {
            throw new KeycloakLaunchException($"{executable} is Java {version}; Keycloak needs Java {MinimumVersion} or newer: {InstallHint}.");
        }

        return new JavaRuntime(executable, version);
    }

    /// <summary>The major version in <c>java -version</c>'s first line (<c>openjdk version "17.0.15"</c>, or <c>"1.8.0_402"</c> → 8).</summary>
    public static int ParseMajorVersion(string versionOutput)
    {
        var match = VersionPattern().Match(versionOutput ?? "");
        if (!match.Success)
        {
            throw new KeycloakLaunchException($"Could not read the Java version from: {versionOutput}");
        }

        var first = int.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture);
        return first == 1 && match.Groups["second"].Success
            ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture)
            : first;
    }

    private static int ReadMajorVersion(string executable)
    {
        var info = new ProcessStartInfo(executable, "-version")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new KeycloakLaunchException($"Could not run {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return ParseMajorVersion(error + output.GetAwaiter().GetResult());
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex("version \"(?<first>\\d+)(?:\\.(?<second>\\d+))?")]
    private static partial Regex VersionPattern();
}
