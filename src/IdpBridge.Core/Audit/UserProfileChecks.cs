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

            yield return AuditFinding.Of(
                AuditCodes.UserProfileUndeclaredAttribute, AuditSeverity.Finding, AuditChecks.UserProfile, $"userProfile.attributes[{name}]",
                ("attribute", name), ("declared", declared.Names.ToList()), ("userEdits", UserEdits(attribute)),
                ("registration", registration), ("required", RequiredForUsers(attribute)));
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

    private static AuditFinding? Unmanaged(string? policy) => policy switch
    {
        null => null,
        "ADMIN_VIEW" => AuditFinding.Of(
            AuditCodes.UserProfileUnmanagedAttributesVisible, AuditSeverity.Informational, AuditChecks.UserProfile, UnmanagedWhere, ("policy", policy)),
        _ => AuditFinding.Of(AuditCodes.UserProfileUnmanagedAttributes, AuditSeverity.Finding, AuditChecks.UserProfile, UnmanagedWhere, ("policy", policy)),
    };

    private const string UnmanagedWhere = "userProfile.unmanagedAttributePolicy";
}
