using NUnit.Framework;

namespace IdpBridge.Testing.Browser;

/// <summary>Where browser tests keep their screenshots: <c>TestResults/screenshots/</c> at the repository root.</summary>
public static class Screenshots
{
    /// <summary>The folder (made on first use).</summary>
    public static string Folder => Path.Combine(SharedData.RepositoryRoot, "TestResults", "screenshots");

    /// <summary>Writes <paramref name="png"/> as <c>{name}.png</c>, attaches it to the running test, and returns its path.</summary>
    public static string Keep(string name, byte[] png, string description)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name.EndsWith(".png", StringComparison.Ordinal) ? name : name + ".png");
        File.WriteAllBytes(path, png);
        TestContext.AddTestAttachment(path, description);
        TestContext.Out.WriteLine($"screenshot: {path}");
        return path;
    }
}
