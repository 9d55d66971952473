using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>A user as the simulator stores it (Keycloak's USER_ENTITY and its attribute/required-action rows).</summary>
internal sealed class UserRecord
{
    public required string Id { get; init; }

    /// <summary>Lower case, as Keycloak stores it.</summary>
    public required string Username { get; set; }

    public string? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public bool Enabled { get; set; } = true;

    public bool EmailVerified { get; set; }

    public bool Totp { get; set; }

    public long CreatedTimestamp { get; set; }

    public int NotBefore { get; set; }

    public string? FederationLink { get; set; }

    /// <summary>Client id (not uuid) of the client whose service account this user is.</summary>
    public string? ServiceAccountClientId { get; set; }

    public List<string> RequiredActions { get; } = [];

    /// <summary>Custom attributes (never the four root ones).</summary>
    public Dictionary<string, List<string>> Attributes { get; } = new(StringComparer.Ordinal);

    public List<string> RealmRoles { get; } = [];

    /// <summary>Client uuid → role names.</summary>
    public Dictionary<string, List<string>> ClientRoles { get; } = new(StringComparer.Ordinal);

    /// <summary><c>{identityProvider, userId, userName}</c> links to brokers.</summary>
    public List<JsonObject> FederatedIdentities { get; } = [];

    /// <summary>Fields Keycloak would store that the simulator does not model (credentials, groups...), kept as sent.</summary>
    public JsonObject Extra { get; } = [];

    /// <summary>The complete stored state (for tests), every attribute included.</summary>
    public JsonObject ToStateJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["username"] = Username,
            ["firstName"] = FirstName,
            ["lastName"] = LastName,
            ["email"] = Email,
            ["emailVerified"] = EmailVerified,
            ["createdTimestamp"] = CreatedTimestamp,
            ["enabled"] = Enabled,
            ["totp"] = Totp,
            ["federationLink"] = FederationLink,
            ["serviceAccountClientId"] = ServiceAccountClientId,
            ["notBefore"] = NotBefore,
            ["requiredActions"] = SimJson.ToArray(RequiredActions),
            ["attributes"] = AttributesJson(Attributes.Keys),
            ["realmRoles"] = SimJson.ToArray(RealmRoles),
            ["federatedIdentities"] = new JsonArray(FederatedIdentities.Select(f => (JsonNode?)f.DeepClone()).ToArray()),
        };
        foreach (var (key, value) in Extra)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    public JsonObject AttributesJson(IEnumerable<string> names)
    {
        var result = new JsonObject();
        foreach (var name in names)
        {
            if (Attributes.TryGetValue(name, out var values))
            {
                result[name] = SimJson.ToArray(values);
            }
        }

        return result;
    }
}
