using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.UserProfile;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Brings a realm to the state a <see cref="RealmConfig"/> declares: <see cref="PlanAsync"/> reads the live realm
/// (about one GET per resource collection) and lists the changes; <see cref="ApplyAsync"/> carries them out in
/// dependency order and stops at the first failure, so that a re-run converges.
/// </summary>
public sealed class RealmProvisioner(KeycloakAdminClient keycloak)
{
    /// <summary>The IdP config key where IdpBridge keeps a keyed hash of the secret it last wrote (never the secret).</summary>
    public const string SecretHashKey = "idpbridge.clientSecretHash";

    private const string RealmManagement = "realm-management";

    private static readonly HashSet<string> ServerIds = new(StringComparer.Ordinal) { "id", "internalId" };

    /// <summary>Reads the live realm and lists what an apply would change.</summary>
    public async Task<RealmPlan> PlanAsync(RealmConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var realm = config.RealmName;
        var live = await keycloak.FindRealmAsync(realm, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return new RealmPlan(realm, false, PlanNewRealm(config), UsersAreAskedFor(config.UserProfile, config.Settings, null), config.IgnoredSections);
        }

        var liveRealm = ToJson(live);
        var changes = new List<ResourceChange>();
        PlanRealmSettings(config, liveRealm, changes);
        if (new SmtpServerPlanner(keycloak).Plan(config, liveRealm) is { } smtpServer)
        {
            changes.Add(smtpServer);
        }

        var liveProfile = await PlanUserProfileAsync(config, changes, cancellationToken).ConfigureAwait(false);
        await PlanRequiredActionsAsync(config, changes, cancellationToken).ConfigureAwait(false);
        await PlanClientsAsync(config, changes, cancellationToken).ConfigureAwait(false);
        var deletions = new List<ResourceChange>();
        await PlanIdentityProvidersAsync(config, changes, deletions, cancellationToken).ConfigureAwait(false);
        await PlanLocalizationAsync(config, changes, cancellationToken).ConfigureAwait(false);
        changes.AddRange(deletions);
        var profile = config.UserProfile ?? liveProfile;
        return new RealmPlan(realm, true, changes, UsersAreAskedFor(profile, config.Settings, liveRealm), config.IgnoredSections);
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> in order. After creating a missing realm it plans again against the new
    /// realm (whose defaults only Keycloak knows) and applies that. Stops at the first failure.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(
        RealmConfig config, RealmPlan plan, IProgress<ResourceChange>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new List<ResourceChange>();
        var pending = plan.Changes.ToList();
        if (!plan.RealmExists)
        {
            var create = pending[0];
            if (await TryApplyAsync(create, done, progress, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                return new ApplyResult(done, pending, failure);
            }

            pending = (await PlanAsync(config, cancellationToken).ConfigureAwait(false)).Changes.ToList();
        }

        for (var i = 0; i < pending.Count; i++)
        {
            if (await TryApplyAsync(pending[i], done, progress, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                return new ApplyResult(done, pending[i..], failure);
            }
        }

        return new ApplyResult(done, [], null);
    }

    private static async Task<Exception?> TryApplyAsync(
        ResourceChange change, List<ResourceChange> done, IProgress<ResourceChange>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await change.Apply(cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception)
        {
            return exception;
        }

        done.Add(change);
        progress?.Report(change);
        return null;
    }

    private List<ResourceChange> PlanNewRealm(RealmConfig config)
    {
        var body = config.Settings.DeepClone().AsObject();
        body["realm"] = config.RealmName;
        if (config.Attributes.Count > 0)
        {
            body["attributes"] = ToJson(config.Attributes);
        }

        var fields = JsonCompare.Declared(body, null, ignore: new HashSet<string>(StringComparer.Ordinal) { "realm" });
        var changes = new List<ResourceChange>
        {
            new("realm", config.RealmName, ChangeKind.Create, fields)
            {
                Apply = token => keycloak.CreateRealmAsync(FromJson<RealmRepresentation>(body), token),
            },
        };

        // What follows is known only once Keycloak has made the realm with its defaults: listed here, planned exactly
        // (and applied) right after the realm exists.
        if (SmtpServerPlanner.PlanForNewRealm(config) is { } smtpServer)
        {
            changes.Add(smtpServer);
        }

        if (config.UserProfile is not null)
        {
            changes.Add(new ResourceChange("user-profile", config.RealmName, ChangeKind.Update, [new FieldChange("attributes", null, Names(config.UserProfile))]));
        }

        changes.AddRange(config.RequiredActions.Select(action => new ResourceChange("required-action", Text(action, "alias"), ChangeKind.Update, JsonCompare.Declared(action, null, ignore: ServerIds))));
        changes.AddRange(config.Clients.Select(client => new ResourceChange("client", Text(client, "clientId"), ChangeKind.Create, JsonCompare.Declared(client, null, ignore: ServerIds))));
        changes.AddRange(config.ServiceAccountRoles.Select(roles => new ResourceChange("service-account-roles", roles.Key, ChangeKind.Create, roles.Value.Select(role => new FieldChange($"{RealmManagement}.{role}", null, JsonValue.Create(true))).ToList())));
        changes.AddRange(config.IdentityProviders.Select(provider => new ResourceChange("identity-provider", Text(provider, "alias"), ChangeKind.Create, JsonCompare.Declared(provider, null, ignore: ServerIds))));
        changes.AddRange(config.IdentityProviderMappers.Select(mapper => new ResourceChange("identity-provider-mapper", MapperName(mapper), ChangeKind.Create, JsonCompare.Declared(mapper, null, ignore: ServerIds))));
        changes.AddRange(config.LocalizationTexts.Select(locale => new ResourceChange("localization", locale.Key, ChangeKind.Create, locale.Value.Select(text => new FieldChange(text.Key, null, text.Value)).ToList())));
        return changes;
    }

    private void PlanRealmSettings(RealmConfig config, JsonObject liveRealm, List<ResourceChange> changes)
    {
        var fields = JsonCompare.Declared(config.Settings, liveRealm);
        var liveAttributes = liveRealm["attributes"] as JsonObject ?? [];
        var attributeChanges = JsonCompare.Declared(ToJson(config.Attributes), liveAttributes, "attributes");
        fields.AddRange(attributeChanges);
        if (fields.Count == 0)
        {
            return;
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

        changes.Add(new ResourceChange("realm", config.RealmName, ChangeKind.Update, fields)
        {
            Apply = token => keycloak.UpdateRealmAsync(config.RealmName, FromJson<RealmRepresentation>(body), token),
        });
    }

    private async Task<JsonObject?> PlanUserProfileAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
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

    private async Task PlanRequiredActionsAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.RequiredActions.Count == 0)
        {
            return;
        }

        var live = (await keycloak.ListRequiredActionsAsync(config.RealmName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(action => action.Alias ?? "", ToJson, StringComparer.Ordinal);
        foreach (var declared in config.RequiredActions)
        {
            var alias = Text(declared, "alias");
            live.TryGetValue(alias, out var current);
            var fields = JsonCompare.Declared(declared, current, ignore: ServerIds);
            if (current is not null && fields.Count == 0)
            {
                continue;
            }

            // Keycloak's PUT replaces every field (an omitted primitive becomes false/0): send the live object with
            // the declared fields on top; an unregistered action is registered first.
            var registered = current is not null;
            var merged = Merge(current ?? new JsonObject { ["alias"] = alias, ["providerId"] = declared["providerId"]?.DeepClone() ?? alias }, declared);
            changes.Add(new ResourceChange("required-action", alias, registered ? ChangeKind.Update : ChangeKind.Create, fields)
            {
                Apply = async token =>
                {
                    if (!registered)
                    {
                        await keycloak.RegisterRequiredActionAsync(
                            config.RealmName, Text(merged, "providerId"), merged["name"]?.GetValue<string>() ?? alias, token).ConfigureAwait(false);
                        var fresh = await keycloak.FindRequiredActionAsync(config.RealmName, alias, token).ConfigureAwait(false);
                        merged = Merge(ToJson(fresh!), declared);
                    }

                    await keycloak.UpdateRequiredActionAsync(config.RealmName, alias, FromJson<RequiredActionProviderRepresentation>(merged), token).ConfigureAwait(false);
                },
            });
        }
    }

    private async Task PlanClientsAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.Clients.Count == 0 && config.ServiceAccountRoles.Count == 0)
        {
            return;
        }

        var liveClients = (await keycloak.ListClientsAsync(config.RealmName, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(client => client.ClientId ?? "", ToJson, StringComparer.Ordinal);
        foreach (var declared in config.Clients)
        {
            var clientId = Text(declared, "clientId");
            var wanted = WithoutMaskedSecret(declared, "secret");
            liveClients.TryGetValue(clientId, out var current);
            if (current is null)
            {
                var body = Without(wanted, ServerIds);
                changes.Add(new ResourceChange("client", clientId, ChangeKind.Create, JsonCompare.Declared(body, null))
                {
                    Apply = token => keycloak.CreateClientAsync(config.RealmName, FromJson<ClientRepresentation>(body), token),
                });
                continue;
            }

            var fields = JsonCompare.Declared(wanted, current, ignore: ServerIds);
            if (fields.Count > 0)
            {
                var merged = Merge(current, Without(wanted, ServerIds));
                var id = Text(current, "id");
                changes.Add(new ResourceChange("client", clientId, ChangeKind.Update, fields)
                {
                    Apply = token => keycloak.UpdateClientAsync(config.RealmName, id, FromJson<ClientRepresentation>(merged), token),
                });
            }
        }

        await PlanServiceAccountRolesAsync(config, liveClients, changes, cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanServiceAccountRolesAsync(
        RealmConfig config, Dictionary<string, JsonObject> liveClients, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (config.ServiceAccountRoles.Count == 0)
        {
            return;
        }

        var realmManagement = liveClients.TryGetValue(RealmManagement, out var management) ? Text(management, "id") : null;
        var roles = realmManagement is null
            ? []
            : await keycloak.ListClientRolesAsync(config.RealmName, realmManagement, cancellationToken).ConfigureAwait(false);
        foreach (var (clientId, wantedRoles) in config.ServiceAccountRoles)
        {
            var granted = new List<string>();
            if (liveClients.TryGetValue(clientId, out var client) && realmManagement is not null)
            {
                var user = await keycloak.GetServiceAccountUserAsync(config.RealmName, Text(client, "id"), cancellationToken).ConfigureAwait(false);
                granted = (await keycloak.ListUserClientRolesAsync(config.RealmName, user.Id!, realmManagement, cancellationToken).ConfigureAwait(false))
                    .Select(role => role.Name ?? "").ToList();
            }

            var add = wantedRoles.Except(granted, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var remove = granted.Except(wantedRoles, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (add.Count == 0 && remove.Count == 0)
            {
                continue;
            }

            var fields = add.Select(role => new FieldChange($"{RealmManagement}.{role}", null, JsonValue.Create(true)))
                .Concat(remove.Select(role => new FieldChange($"{RealmManagement}.{role}", JsonValue.Create(true), null)))
                .ToList();
            changes.Add(new ResourceChange("service-account-roles", clientId, client is null ? ChangeKind.Create : ChangeKind.Update, fields)
            {
                Apply = async token =>
                {
                    // The client may have been created by this apply: look everything up at apply time.
                    var clients = await keycloak.ListClientsAsync(config.RealmName, cancellationToken: token).ConfigureAwait(false);
                    var owner = clients.Single(candidate => candidate.ClientId == clientId);
                    var management = clients.Single(candidate => candidate.ClientId == RealmManagement);
                    var user = await keycloak.GetServiceAccountUserAsync(config.RealmName, owner.Id!, token).ConfigureAwait(false);
                    var available = roles.Count > 0 ? roles : await keycloak.ListClientRolesAsync(config.RealmName, management.Id!, token).ConfigureAwait(false);
                    if (add.Count > 0)
                    {
                        await keycloak.AddUserClientRolesAsync(config.RealmName, user.Id!, management.Id!, Pick(available, add), token).ConfigureAwait(false);
                    }

                    if (remove.Count > 0)
                    {
                        await keycloak.RemoveUserClientRolesAsync(config.RealmName, user.Id!, management.Id!, Pick(available, remove), token).ConfigureAwait(false);
                    }
                },
            });
        }
    }

    private async Task PlanIdentityProvidersAsync(
        RealmConfig config, List<ResourceChange> changes, List<ResourceChange> deletions, CancellationToken cancellationToken)
    {
        var exclusiveProviders = config.ExclusiveCollections.Contains("identityProviders");
        var exclusiveMappers = config.ExclusiveCollections.Contains("identityProviderMappers");
        if (config.IdentityProviders.Count == 0 && config.IdentityProviderMappers.Count == 0 && !exclusiveProviders && !exclusiveMappers)
        {
            return;
        }

        var live = (await keycloak.ListIdentityProvidersAsync(config.RealmName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(provider => provider.Alias ?? "", ToJson, StringComparer.Ordinal);
        var declaredAliases = config.IdentityProviders.Select(provider => Text(provider, "alias")).ToHashSet(StringComparer.Ordinal);
        foreach (var declared in config.IdentityProviders)
        {
            PlanIdentityProvider(config.RealmName, declared, live.GetValueOrDefault(Text(declared, "alias")), changes);
        }

        var mapperAliases = config.IdentityProviderMappers.Select(mapper => Text(mapper, "identityProviderAlias"))
            .Concat(exclusiveMappers ? live.Keys : [])
            .Where(live.ContainsKey)
            .ToHashSet(StringComparer.Ordinal);
        var liveMappers = new Dictionary<(string Alias, string Name), JsonObject>();
        foreach (var alias in mapperAliases.Order(StringComparer.Ordinal))
        {
            foreach (var mapper in await keycloak.ListIdentityProviderMappersAsync(config.RealmName, alias, cancellationToken).ConfigureAwait(false))
            {
                liveMappers[(alias, mapper.Name ?? "")] = ToJson(mapper);
            }
        }

        foreach (var declared in config.IdentityProviderMappers)
        {
            var key = (Text(declared, "identityProviderAlias"), Text(declared, "name"));
            PlanMapper(config.RealmName, declared, liveMappers.GetValueOrDefault(key), changes);
        }

        if (exclusiveMappers)
        {
            var declaredMappers = config.IdentityProviderMappers.Select(mapper => (Text(mapper, "identityProviderAlias"), Text(mapper, "name"))).ToHashSet();
            foreach (var ((alias, name), mapper) in liveMappers.Where(pair => !declaredMappers.Contains(pair.Key)))
            {
                var id = Text(mapper, "id");
                deletions.Add(new ResourceChange("identity-provider-mapper", $"{alias}/{name}", ChangeKind.Delete, [])
                {
                    Apply = token => keycloak.DeleteIdentityProviderMapperAsync(config.RealmName, alias, id, token),
                });
            }
        }

        if (exclusiveProviders)
        {
            foreach (var alias in live.Keys.Where(alias => !declaredAliases.Contains(alias)).Order(StringComparer.Ordinal))
            {
                deletions.Add(new ResourceChange("identity-provider", alias, ChangeKind.Delete, [])
                {
                    Apply = token => keycloak.DeleteIdentityProviderAsync(config.RealmName, alias, token),
                });
            }
        }
    }

    private void PlanIdentityProvider(string realm, JsonObject declared, JsonObject? live, List<ResourceChange> changes)
    {
        var alias = Text(declared, "alias");
        var secret = declared["config"]?["clientSecret"]?.GetValue<string>();
        var keepSecret = secret is null or IdentityProviderRepresentation.MaskedSecret;
        var wanted = Without(WithoutMaskedSecret(declared, "config.clientSecret"), ServerIds);
        var wantedHash = keepSecret ? null : SecretHash(realm, alias, secret!);
        if (live is null)
        {
            var body = wanted.DeepClone().AsObject();
            if (wantedHash is not null)
            {
                ((JsonObject)(body["config"] ??= new JsonObject()))[SecretHashKey] = wantedHash;
            }

            changes.Add(new ResourceChange("identity-provider", alias, ChangeKind.Create, JsonCompare.Declared(wanted, null))
            {
                Apply = token => keycloak.CreateIdentityProviderAsync(realm, FromJson<IdentityProviderRepresentation>(body), token),
            });
            return;
        }

        // Keycloak shows the stored secret only as "**********": IdpBridge knows it changed by comparing a keyed hash
        // of the declared secret with the one it stored beside the secret when it last wrote it.
        var withoutSecret = wanted.DeepClone().AsObject();
        (withoutSecret["config"] as JsonObject)?.Remove("clientSecret");
        var fields = JsonCompare.Declared(withoutSecret, live, ignore: ServerIds);
        var secretChanged = wantedHash is not null && live["config"]?[SecretHashKey]?.GetValue<string>() != wantedHash;
        if (secretChanged)
        {
            fields.Add(new FieldChange("config.clientSecret", null, null, Sensitive: true));
        }

        if (fields.Count == 0)
        {
            return;
        }

        var merged = Merge(live, withoutSecret);
        var config = (JsonObject)(merged["config"] ??= new JsonObject());
        config["clientSecret"] = secretChanged ? secret : IdentityProviderRepresentation.MaskedSecret;
        if (secretChanged)
        {
            config[SecretHashKey] = wantedHash;
        }

        changes.Add(new ResourceChange("identity-provider", alias, ChangeKind.Update, fields)
        {
            Apply = token => keycloak.UpdateIdentityProviderAsync(realm, alias, FromJson<IdentityProviderRepresentation>(merged), token),
        });
    }

    private void PlanMapper(string realm, JsonObject declared, JsonObject? live, List<ResourceChange> changes)
    {
        var alias = Text(declared, "identityProviderAlias");
        var name = MapperName(declared);
        var wanted = Without(declared, ServerIds);
        if (live is null)
        {
            changes.Add(new ResourceChange("identity-provider-mapper", name, ChangeKind.Create, JsonCompare.Declared(wanted, null))
            {
                Apply = token => keycloak.CreateIdentityProviderMapperAsync(realm, alias, FromJson<IdentityProviderMapperRepresentation>(wanted), token),
            });
            return;
        }

        var fields = JsonCompare.Declared(wanted, live);
        if (fields.Count > 0)
        {
            var merged = Merge(live, wanted);
            var id = Text(live, "id");
            changes.Add(new ResourceChange("identity-provider-mapper", name, ChangeKind.Update, fields)
            {
                Apply = token => keycloak.UpdateIdentityProviderMapperAsync(realm, alias, id, FromJson<IdentityProviderMapperRepresentation>(merged), token),
            });
        }
    }

    private async Task PlanLocalizationAsync(RealmConfig config, List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        foreach (var (locale, texts) in config.LocalizationTexts)
        {
            var live = await keycloak.GetLocalizationTextsAsync(config.RealmName, locale, cancellationToken).ConfigureAwait(false);
            var changed = texts.Where(text => !live.TryGetValue(text.Key, out var current) || current != text.Value)
                .ToDictionary(text => text.Key, text => text.Value, StringComparer.Ordinal);
            if (changed.Count == 0)
            {
                continue;
            }

            var fields = changed.Select(text => new FieldChange(
                text.Key, live.TryGetValue(text.Key, out var before) ? JsonValue.Create(before) : null, JsonValue.Create(text.Value))).ToList();
            changes.Add(new ResourceChange("localization", locale, live.Count == 0 ? ChangeKind.Create : ChangeKind.Update, fields)
            {
                Apply = token => keycloak.SetLocalizationTextsAsync(config.RealmName, locale, changed, token),
            });
        }
    }

    /// <summary>"Users are asked for: email, first name, last name." from the attributes users can edit.</summary>
    private static string UsersAreAskedFor(JsonObject? profile, JsonObject settings, JsonObject? liveRealm)
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

    private static IReadOnlyList<RoleRepresentation> Pick(IReadOnlyList<RoleRepresentation> roles, List<string> names) =>
        names.Select(name => roles.FirstOrDefault(role => role.Name == name)
            ?? throw new KeycloakException("GET", RealmManagement, null, $"the {RealmManagement} client has no role '{name}'", null)).ToList();

    /// <summary>A keyed hash of a secret, bound to realm and alias, so the same secret elsewhere hashes differently.</summary>
    internal static string SecretHash(string realm, string alias, string secret)
    {
        var key = Encoding.UTF8.GetBytes($"idpbridge/{realm}/{alias}");
        return "hmac-sha256:" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(secret)));
    }

    private static JsonObject WithoutMaskedSecret(JsonObject declared, string path)
    {
        var copy = declared.DeepClone().AsObject();
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? copy : copy[parts[0]] as JsonObject;
        if (parent?[parts[^1]] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>() == IdentityProviderRepresentation.MaskedSecret)
        {
            // A pasted export or an `idpbridge realm export` carries the mask: it means "keep the stored secret".
            parent.Remove(parts[^1]);
        }

        return copy;
    }

    private static JsonObject Without(JsonObject source, IReadOnlySet<string> keys)
    {
        var copy = source.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    /// <summary>The live object with the declared fields laid over it (objects merged key by key).</summary>
    private static JsonObject Merge(JsonObject live, JsonObject declared)
    {
        var merged = live.DeepClone().AsObject();
        foreach (var (key, value) in declared)
        {
            merged[key] = value is JsonObject nested && merged[key] is JsonObject current
                ? Merge(current, nested)
                : value?.DeepClone();
        }

        return merged;
    }

    private static string MapperName(JsonObject mapper) => $"{Text(mapper, "identityProviderAlias")}/{Text(mapper, "name")}";

    private static JsonNode Names(JsonObject profile) =>
        new JsonArray((profile["attributes"] as JsonArray ?? []).Select(attribute => (JsonNode?)JsonValue.Create(attribute?["name"]?.GetValue<string>())).ToArray());

    private static string Text(JsonObject node, string key) => node[key]?.GetValue<string>() ?? "";

}

/// <summary>What an apply did: the changes made, those not made, and the failure that stopped it, if any.</summary>
public sealed record ApplyResult(IReadOnlyList<ResourceChange> Done, IReadOnlyList<ResourceChange> NotDone, Exception? Failure)
{
    /// <summary>True when every change was made.</summary>
    public bool Succeeded => Failure is null;
}
