using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

/// <summary>
/// The array fields Keycloak stores as sets: it keeps no order and no duplicates, and answers in an order of its own
/// (Java hash-set order: <c>["es","en"]</c> comes back <c>["en","es"]</c>), so they are compared as sets. Found by
/// sending an order to Keycloak 26.7.3 and reading it back, and by its source (<c>Set&lt;String&gt;</c> in the
/// representations and models). Paths are dotted, relative to the object compared.
/// </summary>
public static class SetValuedFields
{
    /// <summary>Realm settings (<c>RealmRepresentation.supportedLocales</c>; the events config in the realm model).</summary>
    public static IReadOnlySet<string> Realm { get; } = Of("supportedLocales", "enabledEventTypes", "eventsListeners");

    /// <summary>
    /// Client fields. A client's PUT ignores <c>defaultClientScopes</c> and <c>optionalClientScopes</c>: they are
    /// changed through their own endpoints.
    /// </summary>
    public static IReadOnlySet<string> Client { get; } = Of("redirectUris", "webOrigins", "defaultClientScopes", "optionalClientScopes");

    /// <summary>Fields of one user-profile attribute (<c>UPAttributePermissions</c>, <c>UPAttributeRequired</c>, <c>UPAttributeSelector</c>).</summary>
    public static IReadOnlySet<string> UserProfileAttribute { get; } =
        Of("permissions.view", "permissions.edit", "required.roles", "required.scopes", "selector.scopes");

    /// <summary>Identity provider fields (<c>types</c>, which Keycloak derives from the provider).</summary>
    public static IReadOnlySet<string> IdentityProvider { get; } = Of("types");

    /// <summary>Whether two arrays hold the same items, whatever their order and repetitions.</summary>
    public static bool SameSet(JsonArray left, JsonArray right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Canonical(left).SequenceEqual(Canonical(right), StringComparer.Ordinal);
    }

    /// <summary>The items once each, in ordinal order of their JSON text: one stable order for a set.</summary>
    public static JsonArray Sorted(JsonArray set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new JsonArray(Canonical(set).Select(text => JsonNode.Parse(text)).ToArray());
    }

    /// <summary>Replaces every array at one of <paramref name="paths"/> inside <paramref name="node"/> by <see cref="Sorted"/>.</summary>
    internal static void SortIn(JsonObject node, IReadOnlySet<string> paths)
    {
        foreach (var path in paths)
        {
            var parts = path.Split('.');
            var parent = node;
            foreach (var part in parts[..^1])
            {
                parent = parent?[part] as JsonObject;
            }

            if (parent?[parts[^1]] is JsonArray array)
            {
                parent[parts[^1]] = Sorted(array);
            }
        }
    }

    private static IEnumerable<string> Canonical(JsonArray array) =>
        array.Select(item => item?.ToJsonString() ?? "null").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static HashSet<string> Of(params string[] paths) => new(paths, StringComparer.Ordinal);
}
