using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdpBridge.Keycloak.Http;

/// <summary>The JSON conventions of Keycloak's REST API: camelCase names, nulls omitted.</summary>
public static class KeycloakJson
{
    /// <summary>Options for reading and writing Keycloak representations.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Keycloak never sends "1" for 1; reading numbers from strings would hide a contract change.
        NumberHandling = JsonNumberHandling.Strict,
    };
}
