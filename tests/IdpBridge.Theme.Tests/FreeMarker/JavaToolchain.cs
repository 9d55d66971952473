namespace IdpBridge.Theme.Tests.FreeMarker;

/// <summary>
/// The JDK and the Debian-packaged Java libraries the renderer needs. What is missing is reported with the Debian
/// package that provides it, so the test fails with a fix instead of passing silently.
/// </summary>
internal sealed record JavaToolchain(string Java, string Javac, IReadOnlyList<string> ClassPath)
{
    public const string DebianJarDirectory = "/usr/share/java";

    private static readonly (string Jar, string Package)[] Libraries =
    [
        ("freemarker.jar", "libfreemarker-java"),
        ("owasp-java-html-sanitizer.jar", "libowasp-java-html-sanitizer-java"),
        ("guava.jar", "libguava-java"),
    ];

    /// <summary>Finds java and javac (in <c>JAVA_HOME/bin</c>, else <c>/usr/bin</c>) and the jars, or throws naming what to install.</summary>
    public static JavaToolchain Find(string? javaHome = null, string jarDirectory = DebianJarDirectory)
    {
        javaHome ??= Environment.GetEnvironmentVariable("JAVA_HOME");
        var bin = string.IsNullOrEmpty(javaHome) ? "/usr/bin" : Path.Combine(javaHome, "bin");
        var missing = new List<string>();
        var java = Path.Combine(bin, "java");
        var javac = Path.Combine(bin, "javac");
        if (!File.Exists(java) || !File.Exists(javac))
        {
            missing.Add($"java and javac in {bin} (apt-get install openjdk-17-jdk-headless)");
        }

        var classPath = new List<string>();
        foreach (var (jar, package) in Libraries)
        {
            var path = Path.Combine(jarDirectory, jar);
            if (File.Exists(path))
            {
                classPath.Add(path);
            }
            else
            {
                missing.Add($"{path} (apt-get install {package})");
            }
        }

        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                "The theme tests render templates with the real FreeMarker engine and need: " + string.Join("; ", missing) +
                ". scripts/debian-packages.txt lists them and scripts/setup.sh installs them.");
        }

        return new JavaToolchain(java, javac, classPath);
    }
}
