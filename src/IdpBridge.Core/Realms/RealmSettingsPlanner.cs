using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Realms;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>Plans the realm itself: its creation, and its managed settings and attributes (one realm PUT).</summary>
internal sealed class RealmSettingsPlanner(KeycloakAdminClient keycloak)
{
    /// <summary>The realm's creation, with the declared settings and attributes.</summary>
    public ResourceChange ForNewRealm(RealmConfig config)
    {
        var body = config.Settings.DeepClone().AsObject();
        body["realm"] = config.RealmName;
        if (config.Attributes.Count > 0)
        {
            body["attributes"] = ToJson(config.Attributes);
        }

        var fields = JsonCompare.Declared(body, null, ignore: new HashSet<string>(StringComparer.Ordinal) { "realm" });
        return new("realm", config.RealmName, ChangeKind.Create, fields)
        {
            Apply = token => keycloak.CreateRealmAsync(FromJson<RealmRepresentation>(body), token),
        };
    }

    /// <summary>The change that brings <paramref name="liveRealm"/>'s settings and attributes to the declared ones, or null when they match.</summary>
    public ResourceChange? Plan(RealmConfig config, JsonObject liveRealm)
    {
        var fields = JsonCompare.Declared(config.Settings, liveRealm, sets: SetValuedFields.Realm);
        var liveAttributes = liveRealm["attributes"] as JsonObject ?? [];
        var attributeChanges = JsonCompare.Declared(ToJson(config.Attributes), liveAttributes, "attributes");
        fields.AddRange(attributeChanges);
        if (fields.Count == 0)
        {
            return null;
        }

        var body = new JsonObject();
        foreach (var field in fields.Where(field => !field.Path.StartsWith("attributes.", StringComparison.Ordinal)))
        {
            body[field.Path] = config.Settings[field.Path]!.DeepClone();
        }

        if (attributeChanges.Count > 0)
        {
            // Keycloak replaces the whole attribute set on PUT: send the live set with the declared values merged in.
            var merged = liveAttributes.DeepClone().AsObject();
            foreach (var (key, value) in config.Attributes)
            {
                merged[key] = value;
            }

            body["attributes"] = merged;
        }

        return new ResourceChange("realm", config.RealmName, ChangeKind.Update, fields)
        {
            Apply = token => keycloak.UpdateRealmAsync(config.RealmName, FromJson<RealmRepresentation>(body), token),
        };
    }
}
