using YamlDotNet.RepresentationModel;

namespace IdpBridge.Stack.Tests;

/// <summary>docker-compose.yml as a typed view over its YAML (only what the tests read).</summary>
internal sealed class Compose(YamlMappingNode root)
{
    public const string FileName = "docker-compose.yml";

    public static Compose Load() => new(RepoFiles.ReadYamlMapping(FileName));

    public YamlMappingNode Root { get; } = root;

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        Mapping(Root, "services").Children.ToDictionary(p => Scalar(p.Key), p => (YamlMappingNode)p.Value);

    public YamlMappingNode Service(string name) =>
        Services.TryGetValue(name, out var service) ? service : throw new AssertionException($"{FileName} has no service '{name}'.");

    /// <summary>A service's environment, in either of Compose's forms (mapping, or list of NAME=value).</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var node))
        {
            return new Dictionary<string, string>();
        }

        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value)),
            YamlSequenceNode list => list.Children.Select(Scalar).Select(item => item.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : ""),
            _ => throw new AssertionException("environment is neither a mapping nor a list."),
        };
    }

    /// <summary>A command, entrypoint or healthcheck test as its argument list (a string form is split on spaces).</summary>
    public static IReadOnlyList<string> Arguments(YamlNode node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(Scalar).ToList(),
        YamlScalarNode scalar => (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        _ => throw new AssertionException("expected a string or a list of strings."),
    };

    public static IReadOnlyList<string> Volumes(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("volumes"), out var node)
            ? ((YamlSequenceNode)node).Children.Select(Scalar).ToList()
            : [];

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static YamlMappingNode Mapping(YamlMappingNode map, string key) =>
        Get(map, key) as YamlMappingNode ?? throw new AssertionException($"'{key}' is missing or not a mapping.");

    public static string Scalar(YamlNode node) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new AssertionException($"expected a scalar at {node.Start}.");

    public static string? ScalarOrNull(YamlMappingNode map, string key) => Get(map, key) is YamlScalarNode s ? s.Value : null;
}
