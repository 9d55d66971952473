using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

/// <summary>Loads Keycloak realm exports into a simulator.</summary>
public static class SimulatorSeeding
{
    private const string UserProfileProvider = "org.keycloak.userprofile.UserProfileProvider";

    /// <summary>
    /// Loads a Keycloak export file: one realm object or an array of realms. For each realm: settings, required
    /// actions, user profile (the <c>kc.user.profile.config</c> of the UserProfileProvider component, else the
    /// default), clients (with their roles and service accounts), users (as stored: required actions and attributes
    /// unfiltered), identity providers and mappers, localization texts. An existing realm of the same name is
    /// replaced, except <c>master</c>, whose data is merged so the admin client survives.
    /// </summary>
    public static void LoadRealmExport(KeycloakSimulator sim, string exportFilePath)
    {
        ArgumentNullException.ThrowIfNull(sim);
        var root = JsonNode.Parse(File.ReadAllText(exportFilePath));
        var realms = root switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => throw new InvalidDataException($"'{exportFilePath}' is neither a realm nor an array of realms."),
        };
        foreach (var realm in realms)
        {
            ImportRealm(sim, realm);
        }
    }

    /// <summary>Creates (or for master, merges) one realm from a RealmRepresentation (an export or a POST body).</summary>
    public static SimulatedRealm ImportRealm(KeycloakSimulator sim, JsonObject rep)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(rep);
        var name = SimJson.Str(rep, "realm") ?? throw new InvalidDataException("A realm needs a 'realm' name.");
        if (name != KeycloakSimulator.AdminRealm)
        {
            sim.DeleteRealm(name);
        }

        var realm = sim.HasRealm(name) ? sim.Realm(name) : sim.CreateRealm(name);
        lock (realm.Sync)
        {
            var settings = SimJson.Clone(rep);
            if (name == KeycloakSimulator.AdminRealm)
            {
                // Keep the simulator's admin token lifetime.
                settings.Remove("accessTokenLifespan");
            }

            KeycloakSimulatorAccess.ApplyRealmUpdate(realm, settings);
            if (rep["requiredActions"] is JsonArray actions)
            {
                realm.RequiredActionsState.Clear();
                foreach (var action in actions.OfType<JsonObject>())
                {
                    var alias = SimJson.Str(action, "alias") ?? SimJson.Str(action, "providerId") ?? "unknown";
                    var model = RealmDefaults.RequiredAction(alias, SimJson.Str(action, "name"), SimJson.Bool(action, "enabled") ?? false,
                        SimJson.Bool(action, "defaultAction") ?? false, SimJson.Long(action, "priority") ?? 0,
                        action["config"] is JsonObject config ? SimJson.Clone(config) : null);
                    model["providerId"] = SimJson.Str(action, "providerId") ?? alias;
                    realm.RequiredActionsState.Add(model);
                }
            }

            if (FindUserProfile(rep) is { } profile)
            {
                realm.SetUserProfileUnlocked(RealmDefaults.Normalize(profile));
            }

            if (rep["clients"] is JsonArray clients)
            {
                foreach (var client in clients.OfType<JsonObject>())
                {
                    var clientId = SimJson.Str(client, "clientId");
                    if (clientId is null || realm.ClientByClientIdUnlocked(clientId) is not null)
                    {
                        continue;
                    }

                    var copy = SimJson.Clone(client);
                    if (rep["roles"]?["client"]?[clientId] is JsonArray roles)
                    {
                        copy["roles"] = roles.DeepClone();
                    }

                    realm.AddClientUnlocked(copy);
                }
            }

            if (rep["users"] is JsonArray users)
            {
                foreach (var user in users.OfType<JsonObject>())
                {
                    var id = SimJson.Str(user, "id") ?? SimulatedRealm.NewId();
                    var record = realm.RecordFromJson(user, id, filter: false);
                    if (realm.FindByUsernameUnlocked(record.Username) is { } existing)
                    {
                        // A service account created with its client above: the export's copy wins.
                        realm.RemoveUnlocked(existing);
                    }

                    if (user["clientRoles"] is JsonObject clientRoles)
                    {
                        foreach (var (clientId, roleNames) in clientRoles)
                        {
                            if (realm.ClientByClientIdUnlocked(clientId) is { } roleClient)
                            {
                                record.ClientRoles[SimJson.Str(roleClient, "id")!] = SimJson.StringList(roleNames) ?? [];
                            }
                        }
                    }

                    realm.InsertUnlocked(record);
                }
            }

            if (rep["identityProviders"] is JsonArray idps)
            {
                realm.IdentityProviders.Clear();
                realm.IdentityProviders.AddRange(idps.OfType<JsonObject>().Select(RealmDefaults.NewIdentityProvider));
            }

            if (rep["identityProviderMappers"] is JsonArray mappers)
            {
                realm.IdentityProviderMappers.Clear();
                foreach (var mapper in mappers.OfType<JsonObject>())
                {
                    var copy = SimJson.Clone(mapper);
                    copy["id"] ??= SimulatedRealm.NewId();
                    realm.IdentityProviderMappers.Add(copy);
                }
            }

            if (rep["localizationTexts"] is JsonObject localization)
            {
                foreach (var (locale, texts) in localization)
                {
                    if (texts is not JsonObject map)
                    {
                        continue;
                    }

                    foreach (var (key, text) in map)
                    {
                        if (!realm.Localization.TryGetValue(locale, out var byKey))
                        {
                            realm.Localization[locale] = byKey = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        }

                        byKey[key] = text?.GetValue<string>() ?? "";
                    }
                }
            }
        }

        return realm;
    }

    private static JsonObject? FindUserProfile(JsonObject rep)
    {
        if (rep["components"]?[UserProfileProvider] is not JsonArray providers)
        {
            return null;
        }

        foreach (var provider in providers.OfType<JsonObject>())
        {
            if (provider["config"]?["kc.user.profile.config"] is JsonArray values && values.Count > 0
                && values[0] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                return JsonNode.Parse(text) as JsonObject;
            }
        }

        return null;
    }
}

/// <summary>Seeding shares the realm update rules of the Admin API.</summary>
internal static class KeycloakSimulatorAccess
{
    public static void ApplyRealmUpdate(SimulatedRealm realm, JsonObject body) => KeycloakSimulator.ApplyRealmUpdate(realm, body);
}
