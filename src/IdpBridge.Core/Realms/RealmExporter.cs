using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.IdentityProviders;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>The realm does not exist in Keycloak.</summary>
public sealed class RealmNotFoundException(string realm) : Exception($"Realm '{realm}' does not exist in Keycloak.");

/// <summary>
/// Writes a live realm's managed resources in the realm config format, so that planning the export against the
/// same realm shows no changes. Stored secrets become Keycloak's mask, which the planner reads as "keep".
/// </summary>
public sealed partial class RealmExporter(KeycloakAdminClient keycloak)
{
    /// <summary>Keycloak's own clients of every realm: not exported (they are not the realm's configuration).</summary>
    public static IReadOnlySet<string> BuiltInClients { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console",
    };

    /// <summary>Reads the realm and returns the config document.</summary>
    public async Task<JsonObject> ExportAsync(string realm, CancellationToken cancellationToken = default)
    {
        var live = await keycloak.FindRealmAsync(realm, cancellationToken).ConfigureAwait(false)
            ?? throw new RealmNotFoundException(realm);
        var liveJson = ToJson(live);
        var document = new JsonObject { ["realm"] = realm };
        foreach (var setting in RealmConfigSchema.ManagedSettings.Order(StringComparer.Ordinal))
        {
            if (liveJson[setting] is { } value)
            {
                document[setting] = value.DeepClone();
            }
        }

        // Sets in one stable order, so that two exports of the same realm are the same file.
        SetValuedFields.SortIn(document, SetValuedFields.Realm);
        if (liveJson["attributes"] is JsonObject { Count: > 0 } attributes)
        {
            document["attributes"] = attributes.DeepClone();
        }

        if (liveJson[RealmConfigSchema.SmtpServerKey] is JsonObject { Count: > 0 } smtpServer)
        {
            // The password stays Keycloak's mask, which the planner reads as "keep the stored one".
            var settings = smtpServer.DeepClone().AsObject();
            settings.Remove(SmtpServerPlanner.PasswordHashKey);
            document[RealmConfigSchema.SmtpServerKey] = settings;
        }

        var profile = ToJson(await keycloak.GetUserProfileAsync(realm, cancellationToken).ConfigureAwait(false));
        foreach (var attribute in (profile["attributes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            SetValuedFields.SortIn(attribute, SetValuedFields.UserProfileAttribute);
        }

        document["userProfile"] = profile;
        document["requiredActions"] = Array(await keycloak.ListRequiredActionsAsync(realm, cancellationToken).ConfigureAwait(false));
        await ExportRolesAndGroupsAsync(realm, document, cancellationToken).ConfigureAwait(false);
        await ExportClientScopesAsync(realm, document, cancellationToken).ConfigureAwait(false);

        // List items may be brief: each provider is read whole, by alias.
        var providers = new List<IdentityProviderRepresentation>();
        foreach (var listed in await keycloak.ListIdentityProvidersAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            if (await keycloak.FindIdentityProviderAsync(realm, listed.Alias!, cancellationToken).ConfigureAwait(false) is { } provider)
            {
                providers.Add(provider);
            }
        }

        document["identityProviders"] = new JsonArray(providers.Select(provider =>
        {
            var node = ToJson(provider);
            node.Remove("internalId");

            // Derived by Keycloak from the provider type, not configuration.
            node.Remove("types");
            if (node["config"] is JsonObject config)
            {
                config.Remove(RealmProvisioner.SecretHashKey);
            }

            return (JsonNode?)node;
        }).ToArray());
        var mappers = new JsonArray();
        foreach (var provider in providers)
        {
            foreach (var mapper in await keycloak.ListIdentityProviderMappersAsync(realm, provider.Alias!, cancellationToken).ConfigureAwait(false))
            {
                var node = ToJson(mapper);
                node.Remove("id");
                mappers.Add((JsonNode)node);
            }
        }

        document["identityProviderMappers"] = mappers;

        var clients = await keycloak.ListClientsAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false);
        var exported = new JsonArray();
        var serviceAccounts = new JsonArray();
        var realmManagement = clients.FirstOrDefault(client => client.ClientId == "realm-management");
        foreach (var client in clients.Where(client => !BuiltInClients.Contains(client.ClientId ?? "")))
        {
            var node = ToJson(client);
            node.Remove("id");
            SetValuedFields.SortIn(node, SetValuedFields.Client);
            if (node.ContainsKey("secret"))
            {
                node["secret"] = IdentityProviderRepresentation.MaskedSecret;
            }

            exported.Add((JsonNode)node);
            if (client.ServiceAccountsEnabled == true && realmManagement is not null)
            {
                var user = await keycloak.GetServiceAccountUserAsync(realm, client.Id!, cancellationToken).ConfigureAwait(false);
                var roles = await keycloak.ListUserClientRolesAsync(realm, user.Id!, realmManagement.Id!, cancellationToken).ConfigureAwait(false);
                serviceAccounts.Add((JsonNode)new JsonObject
                {
                    ["username"] = user.Username,
                    ["serviceAccountClientId"] = client.ClientId,
                    ["clientRoles"] = new JsonObject
                    {
                        ["realm-management"] = new JsonArray(roles.Select(role => (JsonNode?)JsonValue.Create(role.Name)).Order(JsonNodeByText.Instance).ToArray()),
                    },
                });
            }
        }

        document["clients"] = exported;
        if (serviceAccounts.Count > 0)
        {
            document["users"] = serviceAccounts;
        }

        var localization = new JsonObject();
        foreach (var locale in await keycloak.ListLocalizationLocalesAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            // The terms step's texts are IdpBridge's own (policy publication writes them): a config holding them would
            // roll the terms step back to this moment's version at the next apply.
            var texts = (await keycloak.GetLocalizationTextsAsync(realm, locale, cancellationToken).ConfigureAwait(false))
                .Where(text => text.Key is not (Policies.KeycloakTermsTexts.TitleKey or Policies.KeycloakTermsTexts.TextKey))
                .ToList();
            if (texts.Count == 0)
            {
                continue;
            }

            localization[locale] = new JsonObject(texts.OrderBy(text => text.Key, StringComparer.Ordinal)
                .Select(text => KeyValuePair.Create(text.Key, (JsonNode?)JsonValue.Create(text.Value))));
        }

        if (localization.Count > 0)
        {
            document["localizationTexts"] = localization;
        }

        return document;
    }

    private static JsonArray Array<T>(IEnumerable<T> items) => new(items.Select(item => (JsonNode?)ToJson(item)).ToArray());

    private sealed class JsonNodeByText : IComparer<JsonNode?>
    {
        public static readonly JsonNodeByText Instance = new();

        public int Compare(JsonNode? x, JsonNode? y) => string.CompareOrdinal(x?.ToJsonString(), y?.ToJsonString());
    }
}
