using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace IdpBridge.Stack.Tests;

/// <summary>The repository's stack and realm files, read from the working tree the tests were built from.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static JsonObject ReadJsonObject(string relative) =>
        JsonNode.Parse(Read(relative))?.AsObject() ?? throw new InvalidDataException($"{relative} is not a JSON object.");

    public static YamlMappingNode ReadYamlMapping(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        stream.Load(reader);
        Assert.That(stream.Documents, Has.Count.EqualTo(1), $"{relative} holds exactly one YAML document");
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdpBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IdpBridge.sln not found above the test directory.");
    }
}
