using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class SimulatedRealm
{
    /// <summary>The realm's default client scopes (names), which new clients of their protocol get; 26.7.3's order.</summary>
    internal List<string> DefaultClientScopeNames { get; } =
        ["role_list", "saml_organization", "AuthnContextClassRef", "profile", "email", "roles", "web-origins", "acr", "basic"];

    /// <summary>The realm's optional client scopes (names), which new clients of their protocol get as optional.</summary>
    internal List<string> OptionalClientScopeNames { get; } = ["offline_access", "address", "phone", "microprofile-jwt", "organization"];

    /// <summary>The realm's default (<paramref name="optional"/> false) or optional client scopes, by name.</summary>
    public IReadOnlyList<string> GetRealmDefaultClientScopes(bool optional)
    {
        lock (Sync)
        {
            return [.. optional ? OptionalClientScopeNames : DefaultClientScopeNames];
        }
    }

    /// <summary>The realm's client scopes, whole (copies, with their protocol mappers).</summary>
    public IReadOnlyList<JsonObject> GetClientScopes()
    {
        lock (Sync)
        {
            return ClientScopes.Select(SimJson.Clone).ToList();
        }
    }

    /// <summary>Sets one config value of a client scope's protocol mapper as another admin would (drift).</summary>
    public void SetClientScopeMapperConfig(string scopeName, string mapperName, string key, string value)
    {
        lock (Sync)
        {
            var scope = ClientScopes.First(s => SimJson.Str(s, "name") == scopeName);
            var mapper = scope["protocolMappers"]!.AsArray().OfType<JsonObject>().First(m => SimJson.Str(m, "name") == mapperName);
            mapper["config"]![key] = value;
        }
    }

    /// <summary>
    /// ClientManager.createClient: a client created without scopes of its own gets the realm's default and optional
    /// scopes of its protocol (and keeps <c>service_account</c>, which its service account brought).
    /// </summary>
    internal void LinkRealmDefaultScopesUnlocked(JsonObject body, JsonObject client)
    {
        if (body["defaultClientScopes"] is not null || body["optionalClientScopes"] is not null)
        {
            return;
        }

        var protocol = SimJson.Str(client, "protocol") ?? "openid-connect";
        bool OfProtocol(string name) =>
            ClientScopes.Any(scope => SimJson.Str(scope, "name") == name && (SimJson.Str(scope, "protocol") ?? "openid-connect") == protocol);
        var defaults = DefaultClientScopeNames.Where(OfProtocol).ToList();
        if ((SimJson.StringList(client["defaultClientScopes"]) ?? []).Contains("service_account"))
        {
            defaults.Insert(Math.Min(1, defaults.Count), "service_account");
        }

        client["defaultClientScopes"] = SimJson.ToArray(defaults);
        client["optionalClientScopes"] = SimJson.ToArray(OptionalClientScopeNames.Where(OfProtocol));
        JavaSetOrder.ReorderIn(client, JavaSetOrder.ClientFields);
    }

    /// <summary>Top-level groups (GroupRepresentation with <c>realmRoles</c> as names); sub-groups are not simulated.</summary>
    internal List<JsonObject> Groups { get; } = [];

    /// <summary>The realm's roles, whole (copies).</summary>
    public IReadOnlyList<JsonObject> GetRealmRoles()
    {
        lock (Sync)
        {
            return RealmRoles.Select(SimJson.Clone).ToList();
        }
    }

    /// <summary>Adds a realm role as another admin would (its id made here).</summary>
    public void AddRealmRole(string name, string? description = null)
    {
        lock (Sync)
        {
            RealmRoles.Add(NewRealmRoleUnlocked(name, description, new JsonObject()));
        }
    }

    /// <summary>The realm's groups, whole (copies; <c>realmRoles</c> holds the names granted).</summary>
    public IReadOnlyList<JsonObject> GetGroups()
    {
        lock (Sync)
        {
            return Groups.Select(SimJson.Clone).ToList();
        }
    }

    /// <summary>Takes a realm role off a group as another admin would (drift).</summary>
    public void RevokeGroupRealmRole(string groupName, string role)
    {
        lock (Sync)
        {
            var group = Groups.First(g => SimJson.Str(g, "name") == groupName);
            group["realmRoles"] = SimJson.ToArray((SimJson.StringList(group["realmRoles"]) ?? []).Where(name => name != role));
        }
    }

    internal JsonObject NewRealmRoleUnlocked(string name, string? description, JsonObject attributes) => new()
    {
        ["id"] = NewId(),
        ["name"] = name,
        ["description"] = description,
        ["composite"] = false,
        ["clientRole"] = false,
        ["containerId"] = Id,
        ["attributes"] = attributes,
    };
}
