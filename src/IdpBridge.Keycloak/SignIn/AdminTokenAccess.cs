namespace IdpBridge.Keycloak.SignIn;

/// <summary>
/// What the admin token IdpBridge signs in with says about itself (its JWT payload, read without the token ever
/// leaving this object): who issued it, for which client, until when, and the roles it carries. Keycloak puts a
/// composite role's parts in the token too, so a client with <c>realm-admin</c> carries every <c>realm-management</c> role.
/// </summary>
/// <param name="Issuer">The <c>iss</c> claim, <c>{base}/realms/{realm}</c>.</param>
/// <param name="ClientId">The <c>azp</c> claim: the client the token was issued to.</param>
/// <param name="ExpiresAt">The <c>exp</c> claim, when present.</param>
/// <param name="RealmRoles">The <c>realm_access.roles</c> of the token's own realm.</param>
/// <param name="ClientRoles">The <c>resource_access</c> roles, by client id (<c>realm-management</c>, or <c>{realm}-realm</c> in master).</param>
public sealed record AdminTokenAccess(
    string? Issuer,
    string? ClientId,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> RealmRoles,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ClientRoles)
{
    /// <summary>The client of master that holds the admin roles of <paramref name="realm"/> (<c>{realm}-realm</c>).</summary>
    public static string MasterManagementClient(string realm) => realm + "-realm";

    /// <summary>
    /// Whether the token carries roles at all (<c>realm_access</c> or <c>resource_access</c>): a client without the
    /// <c>roles</c> scope, or with lightweight access tokens, gets a token without them, and then nothing can be told
    /// from it.
    /// </summary>
    public bool CarriesRoles => RealmRoles.Count > 0 || ClientRoles.Count > 0;

    /// <summary>
    /// The admin roles the token holds on <paramref name="realm"/> when it was issued by <paramref name="tokenRealm"/>:
    /// the <c>realm-management</c> roles of a token of that realm itself, the <c>{realm}-realm</c> roles of a master
    /// token (master's <c>admin</c> role holds them all); none for a token of any other realm.
    /// </summary>
    public IReadOnlySet<string> AdminRolesOn(string realm, string tokenRealm)
    {
        ArgumentNullException.ThrowIfNull(realm);
        var client = tokenRealm == realm && realm != "master" ? "realm-management"
            : tokenRealm == "master" ? MasterManagementClient(realm)
            : null;
        return client is not null && ClientRoles.TryGetValue(client, out var roles)
            ? roles.ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }
}
