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
                yield return AuditFinding.Of(
                    AuditCodes.IdentityProviderStoreToken, AuditSeverity.Finding, AuditChecks.IdentityProviders,
                    $"identityProviders[{provider.Alias}].storeToken", ("alias", provider.Alias));
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
            var facts = new (string, object?)[]
            {
                ("alias", mapper.IdentityProviderAlias), ("mapper", mapper.Name), ("mapperType", mapper.IdentityProviderMapper), ("attribute", target),
            };
            yield return mapper.IdentityProviderMapper == SessionNoteMapper
                ? AuditFinding.Of(AuditCodes.IdentityProviderSessionNote, AuditSeverity.Informational, AuditChecks.IdentityProviders, where, facts)
                : AuditFinding.Of(AuditCodes.IdentityProviderMapperImportsUndeclared, AuditSeverity.Finding, AuditChecks.IdentityProviders, where, facts);
        }
    }
}
