using IdpBridge.Theme.Tests.FreeMarker;

namespace IdpBridge.Theme.Tests;

/// <summary>The theme's own files, read as Keycloak reads them.</summary>
public sealed class ThemeFilesTests
{
    [Test]
    public void ThemeProperties_Always_ExtendKeycloakV2AndReadPublicUrlFromEnvironment()
    {
        // Arrange
        var path = Path.Combine(FreeMarkerRenderer.ThemeDirectory, "theme.properties");

        // Act
        var properties = ReadProperties(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(properties.GetValueOrDefault("parent"), Is.EqualTo("keycloak.v2"));
            Assert.That(properties.GetValueOrDefault("import"), Is.EqualTo("common/keycloak"));
            Assert.That(properties.GetValueOrDefault("locales"), Is.EqualTo("es,en"));
            Assert.That(properties.GetValueOrDefault("idpbridgeUrl"), Is.EqualTo("${env.IDPBRIDGE_PUBLIC_URL:http://localhost:8081}"));
        });
    }

    [Test]
    public void Messages_SpanishAndEnglish_DefineTheSameKeys()
    {
        // Arrange
        var directory = Path.Combine(FreeMarkerRenderer.ThemeDirectory, "messages");

        // Act
        var spanish = ReadProperties(Path.Combine(directory, "messages_es.properties"));
        var english = ReadProperties(Path.Combine(directory, "messages_en.properties"));

        // Assert
        Assert.That(spanish.Keys.Order(StringComparer.Ordinal), Is.EqualTo(english.Keys.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void JavaToolchain_Missing_FailsNamingDebianPackages()
    {
        // Arrange
        var nowhere = Path.Combine(Path.GetTempPath(), "idpbridge-no-such-dir");

        // Act
        var failure = Assert.Throws<FileNotFoundException>(() => JavaToolchain.Find(javaHome: nowhere, jarDirectory: nowhere));

        // Assert
        Assert.That(failure!.Message, Does.Contain("openjdk-17-jdk-headless")
            .And.Contain("libfreemarker-java")
            .And.Contain("libowasp-java-html-sanitizer-java"));
    }

    // Enough of java.util.Properties for these files: key=value lines, # comments, no continuations.
    private static Dictionary<string, string> ReadProperties(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] is not '#' and not '!')
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.Ordinal);

}
