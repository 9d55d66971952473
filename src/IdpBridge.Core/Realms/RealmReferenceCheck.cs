namespace IdpBridge.Core.Realms;

/// <summary>
/// Refuses a plan whose file names a realm role or a client scope that neither the file declares nor the live realm
/// has: at plan time, with the place of each such name in the file, rather than as a failure half-way through an apply.
/// </summary>
internal static class RealmReferenceCheck
{
    /// <summary>Whether the file refers to any name of <paramref name="kind"/> (the live names need reading only then).</summary>
    public static bool Needs(RealmConfig config, RealmReferenceKind kind) => config.References.Any(reference => reference.Kind == kind);

    /// <summary>Throws when a reference names nothing the file declares or <paramref name="liveRoles"/>/<paramref name="liveScopes"/> hold.</summary>
    /// <param name="config">The realm config.</param>
    /// <param name="liveRoles">The realm roles of the live realm (or of a realm that does not exist yet: Keycloak's built-in ones).</param>
    /// <param name="liveScopes">The client scopes of the live realm (or Keycloak's built-in ones).</param>
    /// <param name="realmExists">Whether the names came from a live realm (said in the message).</param>
    /// <exception cref="RealmConfigException">Some names exist nowhere; one line per name.</exception>
    public static void Check(RealmConfig config, IEnumerable<string> liveRoles, IEnumerable<string> liveScopes, bool realmExists)
    {
        var roles = config.RealmRoles.Select(role => PlanJson.Text(role, "name")).Concat(liveRoles).ToHashSet(StringComparer.Ordinal);
        var scopes = config.ClientScopes.Select(scope => PlanJson.Text(scope, "name")).Concat(liveScopes).ToHashSet(StringComparer.Ordinal);
        var where = realmExists ? $"realm '{config.RealmName}'" : "the realm Keycloak will create";
        var errors = config.References
            .Where(reference => !(reference.Kind == RealmReferenceKind.RealmRole ? roles : scopes).Contains(reference.Name))
            .Select(reference => new RealmConfigDiagnostic(
                config.SourcePath, reference.JsonPath, reference.Line, reference.Column,
                reference.Kind == RealmReferenceKind.RealmRole
                    ? $"no realm role '{reference.Name}' in this file (roles.realm) nor in {where}"
                    : $"no client scope '{reference.Name}' in this file (clientScopes) nor in {where}"))
            .ToList();
        if (errors.Count > 0)
        {
            throw new RealmConfigException(config.SourcePath, errors);
        }
    }
}
