using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// The plan's sentence on what users are asked for (<see cref="RealmPlan.UsersAreAskedFor"/>). English text kept
/// apart from the planners, so that rendering it elsewhere later is a change of this file only.
/// </summary>
internal static class UsersAskedFor
{
    /// <summary>"Users are asked for: email, first name, last name." from the attributes users can edit.</summary>
    public static string Describe(JsonObject? profile, JsonObject settings, JsonObject? liveRealm)
    {
        if (profile?["attributes"] is not JsonArray attributes)
        {
            return "Users are asked for: (no user profile declared or readable).";
        }

        var emailAsUsername = (settings["registrationEmailAsUsername"] ?? liveRealm?["registrationEmailAsUsername"])?.GetValue<bool>() == true;
        var asked = attributes.OfType<JsonObject>()
            .Where(attribute => attribute["permissions"]?["edit"] is JsonArray edit && edit.Any(who => who?.GetValue<string>() == "user"))
            .Select(attribute => attribute["name"]?.GetValue<string>() ?? "")
            .Where(name => !(emailAsUsername && name == "username"))
            .Select(name => name switch
            {
                "firstName" => "first name",
                "lastName" => "last name",
                _ => name,
            })
            .ToList();
        return $"Users are asked for: {(asked.Count == 0 ? "nothing" : string.Join(", ", asked))}.";
    }
}
