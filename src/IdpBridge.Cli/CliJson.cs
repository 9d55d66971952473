using System.Text.Json;
using IdpBridge.Core;

namespace IdpBridge.Cli;

/// <summary>The JSON settings of every command's <c>--output json</c>: IdpBridge's one set (<see cref="IdpBridgeJson"/>), indented.</summary>
internal static class CliJson
{
    /// <summary><see cref="IdpBridgeJson.Options"/>, indented for a person reading a terminal.</summary>
    public static readonly JsonSerializerOptions Output = new(IdpBridgeJson.Options) { WriteIndented = true };
}
