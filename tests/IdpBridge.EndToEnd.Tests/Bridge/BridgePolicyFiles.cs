using System.Globalization;
using IdpBridge.Testing;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// The policy versions the bridge tests publish with the real <c>idpbridge policy publish</c>: 1 and 2 are the demo
/// realm's own (both material, English); 3 (minor) and 4 (notice) are version 2's text with a paragraph of their own
/// added, written into a folder of the test's, since a text already published is no new version.
/// </summary>
internal static class BridgePolicyFiles
{
    /// <summary>The demo realm's privacy policy folder (<c>v1/</c>, <c>v2/</c>).</summary>
    public static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    /// <summary>The kind each version is published as.</summary>
    public static string Kind(int version) => version switch
    {
        1 or 2 => "material",
        3 => "minor",
        4 => "notice",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "versions 1 to 4"),
    };

    /// <summary>The arguments of <c>policy publish</c> for <paramref name="version"/> (its file, written to <paramref name="folder"/> when derived, and <c>--kind</c>).</summary>
    public static string[] PublishArguments(int version, string folder)
    {
        if (version is 1 or 2)
        {
            return [Path.Combine(Demo, $"v{version}", "en.md")];
        }

        var kind = Kind(version);
        var file = Path.Combine(folder, $"v{version}-en.md");
        var number = version.ToString(CultureInfo.InvariantCulture);
        var lines = File.ReadAllLines(Path.Combine(Demo, "v2", "en.md"))
            .Select(line => line.StartsWith("summary: ", StringComparison.Ordinal) ? $"summary: \"Version {number}: a {kind} change.\"" : line);
        File.WriteAllLines(file, [.. lines, "", $"### A {kind} change", "", $"This paragraph came with version {number}."]);
        return [file, "--kind", kind];
    }
}
