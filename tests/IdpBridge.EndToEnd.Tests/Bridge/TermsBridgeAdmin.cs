using System.Globalization;
using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>A policy version in force, as the extension reads it from the realm's attributes (keycloak-extension/README.md).</summary>
internal sealed record BridgeVersion(int Version, string Kind, int MaterialVersion, int NoticeVersion = 0, string Policy = "privacy")
{
    /// <summary>A content hash of its own per version, so the tests can tell which version an acceptance was for.</summary>
    public string Sha256 { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)Version]));

    public DateTimeOffset Effective { get; init; } = new(2026, 7, Version, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The realm attributes that publish this version.</summary>
    public IReadOnlyDictionary<string, string> Attributes() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["idpbridge.terms.policy"] = Policy,
        ["idpbridge.terms.version"] = Version.ToString(CultureInfo.InvariantCulture),
        ["idpbridge.terms.kind"] = Kind,
        ["idpbridge.terms.sha256"] = Sha256,
        ["idpbridge.terms.effective"] = Effective.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["idpbridge.terms.materialVersion"] = MaterialVersion.ToString(CultureInfo.InvariantCulture),
        ["idpbridge.terms.noticeVersion"] = NoticeVersion.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// What IdpBridge's provisioning and policy publish will do for bridge mode, done here with raw Admin API requests until
/// the C# side does it (then these tests call that instead): register and enable the extension's required action, and
/// write the version in force into the realm's attributes without losing any other realm attribute.
/// </summary>
internal static class TermsBridgeAdmin
{
    /// <summary>The extension's provider id and required-action alias.</summary>
    public const string ProviderId = "idpbridge-terms";

    /// <summary>
    /// Registers the extension's required action in <paramref name="realm"/> and enables it (not as a default action:
    /// it decides by itself), at <paramref name="priority"/> when given (lower runs first; registering puts it last).
    /// </summary>
    public static async Task RegisterAsync(AdminRest admin, string realm, int? priority = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var path = $"realms/{Uri.EscapeDataString(realm)}/authentication";
        await admin.SendAsync(HttpMethod.Post, $"{path}/register-required-action", new JsonObject
        {
            ["providerId"] = ProviderId,
            ["name"] = "IdpBridge terms (versioned)",
        });
        // PUT replaces every field: read the registered action, change one field, send it all back.
        var action = (await admin.GetAsync($"{path}/required-actions/{ProviderId}"))!.AsObject();
        action["enabled"] = true;
        if (priority is { } value)
        {
            action["priority"] = value;
        }

        await admin.SendAsync(HttpMethod.Put, $"{path}/required-actions/{ProviderId}", action);
    }

    /// <summary>Publishes <paramref name="version"/>: see <see cref="WriteAttributesAsync"/>.</summary>
    public static Task PublishAsync(AdminRest admin, string realm, BridgeVersion version) =>
        WriteAttributesAsync(admin, realm, (version ?? throw new ArgumentNullException(nameof(version))).Attributes());

    /// <summary>
    /// Sets <paramref name="attributes"/> on the realm. A realm PUT with <c>attributes</c> replaces the whole set, so
    /// the realm is read first and every other attribute sent back unchanged; only <c>attributes</c> is sent.
    /// </summary>
    public static async Task WriteAttributesAsync(AdminRest admin, string realm, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(attributes);
        var path = $"realms/{Uri.EscapeDataString(realm)}";
        var current = (await admin.GetAsync(path))!["attributes"] as JsonObject ?? [];
        var merged = current.DeepClone().AsObject();
        foreach (var (name, value) in attributes)
        {
            merged[name] = value;
        }

        await admin.SendAsync(HttpMethod.Put, path, new JsonObject { ["attributes"] = merged });
    }
}
