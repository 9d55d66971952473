namespace IdpBridge.Core.Audit;

/// <summary>
/// Identity providers: mappers that import claims into attributes other than the declared fields (attribute importers,
/// hardcoded attributes, the social providers' JSON field importers), and providers that store the upstream tokens.
/// </summary>
internal static class IdentityProviderChecks
{
    /// <summary>The config keys that name the user attribute a mapper writes, by mapper family.</summary>
    private static readonly string[] TargetKeys = ["user.attribute", "attribute", "userAttribute"];

    /// <summary>Mappers that write a note on the login session, not the user: nothing is stored on the person.</summary>
    private const string SessionNoteMapper = "hardcoded-user-session-attribute-idp-mapper";

    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot, DeclaredFields declared)
    {
        foreach (var provider in snapshot.IdentityProviders)
        {
            if (provider.StoreToken == true)
            {
                yield return new AuditFinding(
                    "identity-provider.store-token",
                    AuditSeverity.Finding,
                    AuditChecks.IdentityProviders,
                    $"identityProviders[{provider.Alias}].storeToken",
                    $"'{provider.Alias}' stores the upstream provider's tokens with each linked user " +
                        $"(access, refresh and ID tokens, which carry more about the person than the declared fields).",
                    $"Set storeToken to false on '{provider.Alias}' " +
                        $"(admin console: Identity providers → {provider.Alias} → Store tokens; or the realm config), " +
                        $"then remove the tokens already stored by unlinking and relinking, or leave them to expire.");
            }
        }

        foreach (var mapper in snapshot.IdentityProviderMappers)
        {
            var target = TargetKeys.Select(key => mapper.Config is { } config && config.TryGetValue(key, out var value) ? value : null)
                .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
            if (target is null || declared.Declares(target))
            {
                continue;
            }

            var where = $"identityProviders[{mapper.IdentityProviderAlias}].mappers[{mapper.Name}]";
            if (mapper.IdentityProviderMapper == SessionNoteMapper)
            {
                yield return new AuditFinding(
                    "identity-provider.session-note", AuditSeverity.Informational, AuditChecks.IdentityProviders, where,
                    $"Writes '{target}' on the login session only (nothing stored on the user); a session-note token mapper could still put it in tokens.",
                    "Nothing to do unless a client maps that note into its tokens.");
                continue;
            }

            yield return new AuditFinding(
                "identity-provider.mapper-imports-undeclared",
                AuditSeverity.Finding,
                AuditChecks.IdentityProviders,
                where,
                $"The {mapper.IdentityProviderMapper} mapper stores '{target}' on every user who signs in through '{mapper.IdentityProviderAlias}'; " +
                    $"'{target}' is not a declared field.",
                $"Delete the mapper (admin console: Identity providers → {mapper.IdentityProviderAlias} → Mappers; " +
                    $"or the realm config's identityProviderMappers), then remove '{target}' from the users who have it.");
        }
    }
}
