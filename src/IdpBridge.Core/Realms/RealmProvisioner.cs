using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.UserProfile;

using static IdpBridge.Core.Realms.PlanJson;
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

    private readonly ClientPlanner clients = new(keycloak);
    private readonly IdentityProviderPlanner identityProviders = new(keycloak);

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
        await clients.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        var deletions = new List<ResourceChange>();
        await identityProviders.PlanAsync(config, changes, deletions, cancellationToken).ConfigureAwait(false);
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
        changes.AddRange(ClientPlanner.ForNewRealm(config));
        changes.AddRange(config.IdentityProviders.Select(provider => new ResourceChange("identity-provider", Text(provider, "alias"), ChangeKind.Create, JsonCompare.Declared(provider, null, ignore: ServerIds))));
        changes.AddRange(config.IdentityProviderMappers.Select(mapper => new ResourceChange("identity-provider-mapper", IdentityProviderPlanner.MapperName(mapper), ChangeKind.Create, JsonCompare.Declared(mapper, null, ignore: ServerIds))));
        changes.AddRange(config.LocalizationTexts.Select(locale => new ResourceChange("localization", locale.Key, ChangeKind.Create, locale.Value.Select(text => new FieldChange(text.Key, null, text.Value)).ToList())));
        return changes;
    }

    private void PlanRealmSettings(RealmConfig config, JsonObject liveRealm, List<ResourceChange> changes)
    {
        var fields = JsonCompare.Declared(config.Settings, liveRealm, sets: SetValuedFields.Realm);
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

    private static JsonNode Names(JsonObject profile) =>
        new JsonArray((profile["attributes"] as JsonArray ?? []).Select(attribute => (JsonNode?)JsonValue.Create(attribute?["name"]?.GetValue<string>())).ToArray());

}

/// <summary>What an apply did: the changes made, those not made, and the failure that stopped it, if any.</summary>
public sealed record ApplyResult(IReadOnlyList<ResourceChange> Done, IReadOnlyList<ResourceChange> NotDone, Exception? Failure)
{
    /// <summary>True when every change was made.</summary>
    public bool Succeeded => Failure is null;
}
