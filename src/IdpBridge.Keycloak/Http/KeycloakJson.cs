using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The JSON conventions of Keycloak's REST API: camelCase names, nulls omitted, numbers never read from strings
/// (Keycloak never sends "1" for 1; reading them would hide a contract change). Every type read or written is in
/// <see cref="KeycloakJsonContext"/>, whose serializers are generated at build time: no reflection, so the CLI runs
/// as a native (AOT) binary, and a type left out fails every test that sends it instead of working only under the JIT.
/// </summary>
public static class KeycloakJson
{
    /// <summary>Options for reading and writing Keycloak representations (resolver: <see cref="KeycloakJsonContext"/> only).</summary>
    public static JsonSerializerOptions Options => KeycloakJsonContext.Default.Options;

    /// <summary>The generated serializer of <typeparamref name="T"/>, for the client's generic reads and writes.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
