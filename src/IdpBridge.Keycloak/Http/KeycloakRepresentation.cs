using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Base of every Keycloak representation: fields this client does not model are kept in
/// <see cref="Unmapped"/> and written back as they came, so a read-modify-write never drops what a newer
/// Keycloak (or an export) carries.
/// </summary>
public abstract record KeycloakRepresentation
{
    /// <summary>
    /// Fields Keycloak sent that this client does not model, kept verbatim. A setter, not <c>init</c>: the generated
    /// serializers set init-only members as constructor arguments, which extension data cannot be.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}
