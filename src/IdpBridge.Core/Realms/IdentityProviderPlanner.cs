using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.IdentityProviders;

using static IdpBridge.Core.Realms.PlanJson;
using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Plans a realm's identity providers and their mappers: by alias and by (alias, name), deleting undeclared ones
/// only where the file owns the collection. The list tells which providers exist; each declared one is then read
/// whole (<c>GET .../instances/{alias}</c>), since list items may be brief and a brief item compared or merged would
/// lose fields.
/// </summary>
internal sealed class IdentityProviderPlanner(KeycloakAdminClient keycloak, SecretHash secretHash)
{
    /// <summary>What a new realm will get: every declared identity provider, then every mapper, created.</summary>
    public static IEnumerable<ResourceChange> ForNewRealm(RealmConfig config) =>
        config.IdentityProviders
            .Select(provider => new ResourceChange(
                "identity-provider", Text(provider, "alias"), ChangeKind.Create, JsonCompare.Declared(provider, null, ignore: ServerIds)))
            .Concat(config.IdentityProviderMappers.Select(mapper => new ResourceChange(
                "identity-provider-mapper", MapperName(mapper), ChangeKind.Create, JsonCompare.Declared(mapper, null, ignore: ServerIds))));

    /// <summary>Adds the changes to <paramref name="changes"/>, and deletions (applied last) to <paramref name="deletions"/>.</summary>
    public async Task PlanAsync(RealmConfig config, List<ResourceChange> changes, List<ResourceChange> deletions, CancellationToken cancellationToken)
    {
        var exclusiveProviders = config.ExclusiveCollections.Contains("identityProviders");
        var exclusiveMappers = config.ExclusiveCollections.Contains("identityProviderMappers");
        if (config.IdentityProviders.Count == 0 && config.IdentityProviderMappers.Count == 0 && !exclusiveProviders && !exclusiveMappers)
        {
            return;
        }

        var realm = config.RealmName;
        var liveAliases = (await keycloak.ListIdentityProvidersAsync(realm, cancellationToken).ConfigureAwait(false))
            .Select(provider => provider.Alias ?? "")
            .ToHashSet(StringComparer.Ordinal);
        var declaredAliases = config.IdentityProviders.Select(provider => Text(provider, "alias")).ToHashSet(StringComparer.Ordinal);
        foreach (var declared in config.IdentityProviders)
        {
            var alias = Text(declared, "alias");
            var live = liveAliases.Contains(alias)
                ? await keycloak.FindIdentityProviderAsync(realm, alias, cancellationToken).ConfigureAwait(false)
                : null;
            PlanProvider(realm, declared, live is null ? null : ToJson(live), changes);
        }

        var mapperAliases = config.IdentityProviderMappers.Select(mapper => Text(mapper, "identityProviderAlias"))
            .Concat(exclusiveMappers ? liveAliases : [])
            .Where(liveAliases.Contains)
            .ToHashSet(StringComparer.Ordinal);
        var liveMappers = new Dictionary<(string Alias, string Name), JsonObject>();
        foreach (var alias in mapperAliases.Order(StringComparer.Ordinal))
        {
            foreach (var mapper in await keycloak.ListIdentityProviderMappersAsync(realm, alias, cancellationToken).ConfigureAwait(false))
            {
                liveMappers[(alias, mapper.Name ?? "")] = ToJson(mapper);
            }
        }

        foreach (var declared in config.IdentityProviderMappers)
        {
            var key = (Text(declared, "identityProviderAlias"), Text(declared, "name"));
            PlanMapper(realm, declared, liveMappers.GetValueOrDefault(key), changes);
        }

        if (exclusiveMappers)
        {
            var declaredMappers = config.IdentityProviderMappers.Select(mapper => (Text(mapper, "identityProviderAlias"), Text(mapper, "name"))).ToHashSet();
            foreach (var ((alias, name), mapper) in liveMappers.Where(pair => !declaredMappers.Contains(pair.Key)))
            {
                var id = Text(mapper, "id");
                deletions.Add(new ResourceChange("identity-provider-mapper", $"{alias}/{name}", ChangeKind.Delete, [])
                {
                    Apply = token => keycloak.DeleteIdentityProviderMapperAsync(realm, alias, id, token),
                });
            }
        }

        if (exclusiveProviders)
        {
            foreach (var alias in liveAliases.Where(alias => !declaredAliases.Contains(alias)).Order(StringComparer.Ordinal))
            {
                deletions.Add(new ResourceChange("identity-provider", alias, ChangeKind.Delete, [])
                {
                    Apply = token => keycloak.DeleteIdentityProviderAsync(realm, alias, token),
                });
            }
        }
    }

    /// <summary>The name a mapper has in plans: <c>alias/name</c>.</summary>
    internal static string MapperName(JsonObject mapper) => $"{Text(mapper, "identityProviderAlias")}/{Text(mapper, "name")}";

    private void PlanProvider(string realm, JsonObject declared, JsonObject? live, List<ResourceChange> changes)
    {
        var alias = Text(declared, "alias");
        var secret = declared["config"]?["clientSecret"]?.GetValue<string>();
        var keepSecret = secret is null or IdentityProviderRepresentation.MaskedSecret;
        var wanted = Without(WithoutMaskedSecret(declared, "config.clientSecret"), ServerIds);
        var wantedHash = keepSecret ? null : secretHash.Of(realm, alias, secret!);
        if (live is null)
        {
            var body = wanted.DeepClone().AsObject();
            if (wantedHash is not null)
            {
                ((JsonObject)(body["config"] ??= new JsonObject()))[RealmProvisioner.SecretHashKey] = wantedHash;
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
        var fields = JsonCompare.Declared(withoutSecret, live, ignore: ServerIds, sets: SetValuedFields.IdentityProvider);
        var storedHash = live["config"]?[RealmProvisioner.SecretHashKey]?.GetValue<string>();
        var secretChanged = wantedHash is not null && storedHash != wantedHash;
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
            config[RealmProvisioner.SecretHashKey] = wantedHash;
        }

        changes.Add(new ResourceChange("identity-provider", alias, ChangeKind.Update, fields)
        {
            Note = secretChanged ? secretHash.SchemeChange(storedHash) : null,
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
}
