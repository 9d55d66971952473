namespace IdpBridge.Keycloak.Http;

/// <summary>
/// The role that lets a client call one Admin REST API path, so a 403 can say what the service account lacks instead
/// of Keycloak's bare <c>HTTP 403 Forbidden</c>. Asked of Keycloak 26.7.3 path by path, one <c>realm-management</c>
/// role at a time: the least role that passes (every <c>manage-*</c> also passes its <c>view-*</c>; user lists pass
/// with <c>query-users</c> too, but IdpBridge reads each user, which takes <c>view-users</c>).
/// </summary>
internal static class AdminRoleHint
{
    private const string AdminRealms = "/admin/realms";

    /// <summary>
    /// What <paramref name="method"/> on <paramref name="path"/> needs: the role name(s) (<c>view-events</c>) and where
    /// they are, in words; null when the path is not an admin path or any role of the realm passes it.
    /// </summary>
    public static (string Roles, string Described)? For(string method, string path)
    {
        var start = path.IndexOf(AdminRealms, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var segments = path[(start + AdminRealms.Length)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var read = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);
        if (segments.Length == 0)
        {
            return read ? null : ("create-realm", "the master realm's role create-realm (an admin of the master realm)");
        }

        var resource = segments.Length > 1 ? segments[1] : "";
        var roles = resource switch
        {
            "" or "localization" or "authentication" or "roles" => read ? "view-realm" : "manage-realm",
            "users" when segments.Length > 2 && segments[2] == "profile" => read ? "view-realm" : "manage-realm",
            "users" when segments.Length > 4 && segments[3] == "role-mappings" && segments[4] == "clients" =>
                read ? "view-users and view-clients" : "manage-users and view-clients, and each realm-management role it grants or that role's manage- role",
            "users" or "groups" => read ? "view-users" : "manage-users",
            "events" => read ? "view-events" : "manage-events",
            "identity-provider" => read ? "view-identity-providers" : "manage-identity-providers",
            "clients" or "client-scopes" or "default-default-client-scopes" or "default-optional-client-scopes" => read ? "view-clients" : "manage-clients",
            _ => null,
        };
        if (roles is null)
        {
            return null;
        }

        var realm = Uri.UnescapeDataString(segments[0]);
        return (roles, $"the realm-management role{(roles.Contains(' ', StringComparison.Ordinal) ? "s" : "")} {roles} of realm '{realm}'");
    }
}
