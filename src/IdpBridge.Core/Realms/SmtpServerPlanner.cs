using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans the realm's mail server (<c>smtpServer</c>) as a resource of its own (<c>smtp-server</c>), written by a realm
/// PUT that carries only <c>smtpServer</c>.
/// </summary>
/// <remarks>
/// Keycloak's GET shows the stored password only as <c>**********</c>, so it cannot be compared. As for identity
/// provider secrets, IdpBridge stores beside it, in the map itself (<see cref="PasswordHashKey"/>; Keycloak keeps
/// and ignores unknown keys), a keyed hash of the password it wrote: the declared password is sent only when its hash
/// differs, and otherwise the mask is sent back, which makes Keycloak keep the stored password. A PUT replaces the
/// whole map, so the live keys the file does not declare are sent back unchanged.
/// </remarks>
internal sealed class SmtpServerPlanner(KeycloakAdminClient keycloak, SecretHash secretHash)
{
    /// <summary>The resource type in plans.</summary>
    public const string ResourceType = "smtp-server";

    /// <summary>The key of the password in Keycloak's map.</summary>
    public const string PasswordKey = "password";

    /// <summary>Where IdpBridge keeps a keyed hash of the password it last wrote (never the password).</summary>
    public const string PasswordHashKey = "idpbridge.passwordHash";

    /// <summary>What creating the realm will bring (planned exactly once the realm exists), or null when the file declares no mail server.</summary>
    public static ResourceChange? PlanForNewRealm(RealmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.SmtpServer is not { } declared)
        {
            return null;
        }

        var fields = declared.OrderBy(setting => setting.Key, StringComparer.Ordinal)
            .Select(setting => setting.Key == PasswordKey
                ? new FieldChange(setting.Key, null, null, Sensitive: true)
                : new FieldChange(setting.Key, null, JsonValue.Create(setting.Value)))
            .ToList();
        return new ResourceChange(ResourceType, config.RealmName, ChangeKind.Create, fields);
    }

    /// <summary>The change that brings <paramref name="liveRealm"/>'s mail server to the declared one, or null when it matches.</summary>
    public ResourceChange? Plan(RealmConfig config, JsonObject liveRealm)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(liveRealm);
        if (config.SmtpServer is not { } declared)
        {
            return null;
        }

        var live = liveRealm[RealmConfigSchema.SmtpServerKey] as JsonObject ?? [];
        var password = declared.GetValueOrDefault(PasswordKey);
        var wantedHash = password is null or IdentityProviderRepresentation.MaskedSecret
            ? null
            : secretHash.Of(config.RealmName, RealmConfigSchema.SmtpServerKey, password);
        var wanted = new JsonObject(declared.Where(setting => setting.Key != PasswordKey)
            .Select(setting => KeyValuePair.Create(setting.Key, (JsonNode?)JsonValue.Create(setting.Value))));

        var fields = JsonCompare.Declared(wanted, live);
        // A password removed by hand since (the hash left behind) is written again.
        var storedHash = live[PasswordHashKey]?.GetValue<string>();
        var passwordChanged = wantedHash is not null && (storedHash != wantedHash || live[PasswordKey] is null);
        if (passwordChanged)
        {
            fields.Add(new FieldChange(PasswordKey, null, null, Sensitive: true));
        }

        if (fields.Count == 0)
        {
            return null;
        }

        var body = live.DeepClone().AsObject();
        foreach (var (key, value) in wanted)
        {
            body[key] = value?.DeepClone();
        }

        if (passwordChanged)
        {
            body[PasswordKey] = password;
            body[PasswordHashKey] = wantedHash;
        }

        var settings = body.ToDictionary(setting => setting.Key, setting => setting.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
        return new ResourceChange(ResourceType, config.RealmName, live.Count == 0 ? ChangeKind.Create : ChangeKind.Update, fields)
        {
            Note = passwordChanged ? secretHash.SchemeChange(storedHash) : null,
            Apply = token => keycloak.UpdateRealmAsync(config.RealmName, new RealmRepresentation { SmtpServer = settings }, token),
        };
    }
}
