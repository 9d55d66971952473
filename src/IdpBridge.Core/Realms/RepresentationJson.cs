using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Core.Realms;

/// <summary>Keycloak representations to and from JSON nodes, the form in which plans compare and exports write them.</summary>
internal static class RepresentationJson
{
    public static JsonObject ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, KeycloakJson.TypeInfo<T>())!.AsObject();

    public static T FromJson<T>(JsonObject node) => node.Deserialize(KeycloakJson.TypeInfo<T>())!;
}
