using IdpBridge.Keycloak.UserProfile;

namespace IdpBridge.Core.Audit;

/// <summary>
/// The user profile against the declared fields: each attribute it declares beyond them, and an
/// <c>unmanagedAttributePolicy</c> that lets attributes outside the profile be stored or seen.
/// </summary>
internal static class UserProfileChecks
{
    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot, DeclaredFields declared)
    {
        var registration = snapshot.Realm.RegistrationAllowed == true;
        foreach (var attribute in snapshot.UserProfile.Attributes ?? [])
        {
            if (attribute.Name is not { } name || declared.Declares(name))
            {
                continue;
            }

            var asked = UserEdits(attribute)
                ? $" Users are asked for it in the account console and the update-profile form{(registration ? " and on the registration form" : "")}" +
                  $"{(RequiredForUsers(attribute) ? ", and must give it" : "")}."
                : " Only administrators see or edit it.";
            yield return new AuditFinding(
                "user-profile.undeclared-attribute",
                AuditSeverity.Finding,
                AuditChecks.UserProfile,
                $"userProfile.attributes[{name}]",
                $"The user profile declares '{name}', which is not one of the declared fields ({string.Join(", ", declared.Names)}).{asked}",
                $"Remove '{name}' from the user profile " +
                    $"(admin console: Realm settings → User profile; or the realm config's userProfile, then realm apply), " +
                    $"or declare it in the policy first.");
        }

        if (Unmanaged(snapshot.UserProfile.UnmanagedAttributePolicy) is { } unmanaged)
        {
            yield return unmanaged;
        }
    }

    /// <summary>Whether users edit the attribute themselves (<c>permissions.edit</c> holds <c>user</c>): then every form asks for it.</summary>
    public static bool UserEdits(UserProfileAttribute attribute) =>
        attribute.Permissions?.Edit?.Contains("user", StringComparer.Ordinal) == true;

    private static bool RequiredForUsers(UserProfileAttribute attribute) =>
        attribute.Required is { } required && (required.Roles is not { Count: > 0 } roles || roles.Contains("user", StringComparer.Ordinal));

    private static AuditFinding? Unmanaged(string? policy)
    {
        const string Where = "userProfile.unmanagedAttributePolicy";
        const string Fix = "Remove unmanagedAttributePolicy (admin console: Realm settings → General → Unmanaged attributes: Disabled), " +
            "and declare in the profile what must be kept.";
        return policy switch
        {
            null => null,
            "ENABLED" => new AuditFinding(
                "user-profile.unmanaged-attributes", AuditSeverity.Finding, AuditChecks.UserProfile, Where,
                "ENABLED: users can add, see and edit attributes of any name in the account console, " +
                    "and administrators in the admin console and API: nothing bounds what is stored about a person.",
                Fix),
            "ADMIN_EDIT" => new AuditFinding(
                "user-profile.unmanaged-attributes", AuditSeverity.Finding, AuditChecks.UserProfile, Where,
                "ADMIN_EDIT: administrators (admin console, Admin API, imports) can store attributes of any name on users, which users never see.",
                Fix),
            "ADMIN_VIEW" => new AuditFinding(
                "user-profile.unmanaged-attributes-visible", AuditSeverity.Informational, AuditChecks.UserProfile, Where,
                "ADMIN_VIEW: administrators see, read-only, the attributes stored outside the profile; " +
                    "nobody can add one through the forms or the Admin API. The stored-attributes scan sees them all.",
                "Nothing to do for minimisation; remove it to hide them from administrators again."),
            _ => new AuditFinding(
                "user-profile.unmanaged-attributes", AuditSeverity.Finding, AuditChecks.UserProfile, Where,
                $"'{policy}', a value this audit does not know: attributes outside the profile may be stored.",
                Fix),
        };
    }
}
