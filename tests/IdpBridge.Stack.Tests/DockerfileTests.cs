using System.Xml.Linq;

namespace IdpBridge.Stack.Tests;

public sealed class DockerfileTests
{
    private static IReadOnlyList<string> Instructions()
    {
        // Join continuation lines so that each instruction is one string.
        var text = RepoFiles.Read("Dockerfile").Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }

    private static IReadOnlyList<string> FromImages() =>
        Instructions().Where(i => i.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))
            .Select(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .ToList();

    [Test]
    public void From_BuildsWithTheSdkAndRunsOnAspNet_BothPinnedToExactVersions()
    {
        var images = FromImages();

        Assert.Multiple(() =>
        {
            Assert.That(images, Has.Count.GreaterThanOrEqualTo(2), "multi-stage");
            Assert.That(images[0], Does.Match(@"^mcr\.microsoft\.com/dotnet/sdk:10\.0\.\d+$"));
            Assert.That(images[^1], Does.Match(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0\.\d+$"));
            Assert.That(images, Has.All.Not.EndsWith(":latest").And.All.Not.EndsWith(":10.0"));
        });
    }

    [Test]
    public void User_FinalStage_IsNotRoot()
    {
        var instructions = Instructions();
        var lastFrom = instructions.ToList().FindLastIndex(i => i.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var users = instructions.Skip(lastFrom).Where(i => i.StartsWith("USER ", StringComparison.OrdinalIgnoreCase))
            .Select(i => i[5..].Trim())
            .ToList();

        Assert.That(users, Is.Not.Empty, "the runtime stage sets USER");
        Assert.That(users[^1], Is.Not.EqualTo("root").And.Not.EqualTo("0").And.Not.StartWith("0:"));
    }

    [Test]
    public void Entrypoint_IsTheCli_WhoseAssemblyIsNamedIdpbridge()
    {
        var entrypoint = Instructions().Last(i => i.StartsWith("ENTRYPOINT ", StringComparison.OrdinalIgnoreCase));
        var assemblyName = XDocument.Load(RepoFiles.PathOf("src/IdpBridge.Cli/IdpBridge.Cli.csproj"))
            .Descendants("AssemblyName").Single().Value;

        Assert.Multiple(() =>
        {
            Assert.That(entrypoint, Is.EqualTo("""ENTRYPOINT ["dotnet", "/app/cli/idpbridge.dll"]"""));
            Assert.That(assemblyName, Is.EqualTo("idpbridge"));
        });
    }

    [Test]
    public void Publish_BothProgramsToTheFoldersComposeStartsThemFrom()
    {
        var text = string.Join('\n', Instructions());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("dotnet publish src/IdpBridge.Cli/IdpBridge.Cli.csproj").And.Contain("-o /out/cli"));
            Assert.That(text, Does.Contain("dotnet publish src/IdpBridge.Service/IdpBridge.Service.csproj").And.Contain("-o /out/service"));
            Assert.That(text, Does.Contain("COPY --from=build /out/cli /app/cli"));
            Assert.That(text, Does.Contain("COPY --from=build /out/service /app/service"));
            // The service's assembly keeps its project name, as compose's entrypoint expects.
            Assert.That(XDocument.Load(RepoFiles.PathOf("src/IdpBridge.Service/IdpBridge.Service.csproj")).Descendants("AssemblyName"), Is.Empty);
        });
    }

    private static IReadOnlyList<string> ContextCopySources() =>
        Instructions()
            .Where(i => i.StartsWith("COPY ", StringComparison.OrdinalIgnoreCase) && !i.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToList();

    [Test]
    public void Copy_FromTheBuildContext_NamesFilesThatExist()
    {
        var sources = ContextCopySources();

        Assert.That(sources, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var source in sources)
            {
                Assert.That(Path.Exists(RepoFiles.PathOf(source.TrimEnd('/'))), Is.True, $"COPY source {source} exists");
            }
        });
    }

    [Test]
    public void DockerIgnore_KeepsBuildOutputGitAndSecretsOutOfTheContext()
    {
        var lines = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();

        Assert.That(lines, Is.SupersetOf(new[] { "**/bin/", "**/obj/", "**/TestResults/", ".git/", ".env" }));
    }

    [Test]
    public void DockerIgnore_DoesNotExcludeWhatTheBuildCopies()
    {
        var ignored = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim().TrimEnd('/'))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!')).ToHashSet();
        var copied = ContextCopySources().Select(s => s.TrimEnd('/'));

        Assert.That(ignored.Intersect(copied), Is.Empty);
    }
}
