using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// What users are asked for (<see cref="RealmPlan.UsersAreAskedFor"/>): the user profile's attributes users can edit,
/// by name (<c>email</c>, <c>firstName</c>), without <c>username</c> when the email is the username; the CLI says it in words.
/// </summary>
internal static class UsersAskedFor
{
    /// <summary>The attributes, in the profile's order; null when no user profile is declared or readable.</summary>
    public static IReadOnlyList<string>? Of(JsonObject? profile, JsonObject settings, JsonObject? liveRealm)
    {
        if (profile?["attributes"] is not JsonArray attributes)
        {
            return null;
        }

        var emailAsUsername = (settings["registrationEmailAsUsername"] ?? liveRealm?["registrationEmailAsUsername"])?.GetValue<bool>() == true;
        return attributes.OfType<JsonObject>()
            .Where(attribute => attribute["permissions"]?["edit"] is JsonArray edit && edit.Any(who => who?.GetValue<string>() == "user"))
            .Select(attribute => attribute["name"]?.GetValue<string>() ?? "")
            .Where(name => !(emailAsUsername && name == "username"))
            .ToList();
    }
}
