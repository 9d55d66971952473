using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.UserProfile;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the realm's user profile (one PUT of the whole <c>UPConfig</c>), compared by meaning.</summary>
internal sealed class UserProfilePlanner(KeycloakAdminClient keycloak)
{
    /// <summary>What a new realm will get: the declared profile's attributes, or null when the file declares none.</summary>
    public static ResourceChange? ForNewRealm(RealmConfig config) =>
        config.UserProfile is null
            ? null
            : new ResourceChange("user-profile", config.RealmName, ChangeKind.Update, [new FieldChange("attributes", null, Names(config.UserProfile))]);

    /// <summary>Adds the change the declared profile needs to <paramref name="changes"/>; returns the live profile.</summary>
    public async Task<JsonObject?> PlanAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        var live = ToJson(await keycloak.GetUserProfileAsync(config.RealmName, cancellationToken).ConfigureAwait(false));
        if (config.UserProfile is not { } declared)
        {
            return live;
        }

        var fields = UserProfileMeaning.Differences(declared, live);
        if (fields.Count > 0)
        {
            changes.Add(new ResourceChange("user-profile", config.RealmName, ChangeKind.Update, fields)
            {
                Apply = token => keycloak.UpdateUserProfileAsync(config.RealmName, FromJson<UserProfileConfig>(declared), token),
            });
        }

        return live;
    }

    private static JsonNode Names(JsonObject profile) =>
        new JsonArray((profile["attributes"] as JsonArray ?? []).Select(attribute => (JsonNode?)JsonValue.Create(attribute?["name"]?.GetValue<string>())).ToArray());
}
