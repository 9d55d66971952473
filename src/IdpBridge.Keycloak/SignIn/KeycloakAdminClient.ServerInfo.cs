using System.Text.Json;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>
    /// Keycloak's version from its server info (<c>GET {base}/admin/serverinfo</c>, <c>systemInfo.version</c>); null
    /// when the answer has none. A client that may not read the server info gets a <see cref="KeycloakException"/> (403).
    /// </summary>
    public async Task<string?> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        // The client's base is {base}/admin/realms/: the server info is beside it.
        var info = await GetAsync<JsonElement>("../serverinfo", cancellationToken).ConfigureAwait(false);
        return info.ValueKind == JsonValueKind.Object
            && info.TryGetProperty("systemInfo", out var system) && system.ValueKind == JsonValueKind.Object
            && system.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;
    }
}
