using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class SimulatedRealm
{
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
