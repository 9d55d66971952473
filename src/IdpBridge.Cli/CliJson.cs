using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdpBridge.Core;

namespace IdpBridge.Cli;

/// <summary>
/// The JSON settings of every command's <c>--output json</c>: IdpBridge's one set (<see cref="IdpBridgeJson"/>),
/// indented, resolving only the types of <see cref="CliJsonContext"/> (serializers generated at build time: the CLI
/// is a native binary, and a type left out fails the command's tests under the JIT too).
/// </summary>
internal static class CliJson
{
    /// <summary><see cref="IdpBridgeJson.Options"/>, indented for a person reading a terminal.</summary>
    public static readonly JsonSerializerOptions Output =
        new(IdpBridgeJson.Options) { WriteIndented = true, TypeInfoResolver = CliJsonContext.Default };

    /// <summary><paramref name="value"/> as <c>--output json</c> writes it.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    /// <summary>The generated serializer of <typeparamref name="T"/> under <see cref="Output"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Output.GetTypeInfo(typeof(T));
}
