using IdpBridge.Core.Realms;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Audit;

/// <summary>How much of what users store the scan could see.</summary>
public enum StoredAttributeVisibility
{
    /// <summary><c>unmanagedAttributePolicy</c> is set: the Admin API shows every stored attribute.</summary>
    AllVisible,

    /// <summary>Unset, and not revealed: the Admin API showed only the attributes the profile declares.</summary>
    ProfileOnly,

    /// <summary>Unset, and <c>--reveal-unmanaged</c> set <c>ADMIN_VIEW</c> for the scan (and restored the profile after).</summary>
    Revealed,
}

/// <summary>
/// The stored-attributes scan's counts as results: each attribute users store that the profile does not declare is a
/// finding, except what Keycloak and IdpBridge keep for themselves (informational): <c>locale</c> while the realm offers
/// languages, Keycloak's <c>terms_and_conditions</c> acceptance time, the bridge's <c>idpbridge.terms.*</c> acceptance
/// record, and LDAP federation's links.
/// </summary>
internal static class StoredAttributeChecks
{
    /// <summary>The prefix of what IdpBridge's required-action bridge stores on users (keycloak-extension/README.md).</summary>
    public const string BridgePrefix = "idpbridge.terms.";

    private static readonly HashSet<string> FederationLinks = new(StringComparer.Ordinal) { "LDAP_ID", "LDAP_ENTRY_DN" };

    public static IEnumerable<AuditFinding> Run(StoredAttributeCounts counts, StoredAttributeVisibility visibility, RealmSnapshot snapshot, DeclaredFields declared)
    {
        var inProfile = new HashSet<string>((snapshot.UserProfile.Attributes ?? []).Select(attribute => attribute.Name).OfType<string>(), StringComparer.Ordinal);
        var bridge = new List<(string Name, int Users)>();
        foreach (var (name, users) in counts.UsersPerAttribute.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            // Declared attributes, and the profile's others (reported by the user-profile check), are not reported again.
            if (declared.Declares(name) || inProfile.Contains(name))
            {
                continue;
            }

            var where = $"users[*].attributes[{name}]";
            var stored = $"{users} of {counts.Users} users store '{name}'";
            if (name.StartsWith(BridgePrefix, StringComparison.Ordinal))
            {
                bridge.Add((name, users));
            }
            else if (name == "locale" && snapshot.Realm.InternationalizationEnabled == true)
            {
                yield return Informational("stored-attributes.locale", where,
                    $"{stored}: the language Keycloak remembers for them, since the realm offers several.",
                    "Nothing to do; it goes when internationalization is turned off and the attribute removed.");
            }
            else if (name == UserRepresentation.TermsAcceptedAttribute)
            {
                yield return Informational("stored-attributes.terms-accepted", where,
                    $"{stored}: when they last accepted the terms, as Keycloak's terms step writes it; IdpBridge's acceptance record reads it.",
                    "Nothing to do: it is the acceptance's proof.");
            }
            else if (FederationLinks.Contains(name))
            {
                yield return Informational("stored-attributes.federation-link", where,
                    $"{stored}: the link LDAP federation keeps to the directory entry.",
                    "Nothing to do.");
            }
            else
            {
                yield return new AuditFinding(
                    "stored-attributes.undeclared", AuditSeverity.Finding, AuditChecks.StoredAttributes, where,
                    $"{stored}, which the user profile does not declare (imports, identity-provider mappers, extensions or an unmanaged-attribute policy put it there).",
                    $"Stop what writes it, then remove '{name}' from those users " +
                        $"(GET /admin/realms/{snapshot.Realm.Realm}/users?q={name}:<value> finds them by value; " +
                        $"a user PUT with the remaining attributes removes it).");
            }
        }

        if (bridge.Count > 0)
        {
            yield return Informational("stored-attributes.idpbridge-acceptance", $"users[*].attributes[{BridgePrefix}*]",
                $"IdpBridge's required-action bridge ({TermsSteps.Bridge}) stores each user's acceptance: " +
                    $"{string.Join(", ", bridge.Select(item => $"{item.Name} ({item.Users} users)"))}.",
                "Nothing to do: it is the acceptance record the policy promises.");
        }

        if (counts.NamesBeyondLimit > 0)
        {
            yield return new AuditFinding(
                "stored-attributes.too-many-names", AuditSeverity.Finding, AuditChecks.StoredAttributes, "users[*].attributes",
                $"Users store more than {StoredAttributeCounts.MaxAttributeNames} distinct attribute names; " +
                    $"{counts.NamesBeyondLimit} values of further names were counted together, not by name.",
                "Remove the unmanaged-attribute policy and the attributes, then audit again.");
        }

        yield return visibility switch
        {
            StoredAttributeVisibility.ProfileOnly => Informational("stored-attributes.hidden", "userProfile.unmanagedAttributePolicy",
                $"Unset: Keycloak hides from the Admin API every attribute stored outside the user profile, " +
                    $"so the scan of {counts.Users} users saw only the profile's attributes (and Keycloak's own). " +
                    $"Imports, identity-provider mappers and extensions (IdpBridge's bridge stores {BridgePrefix}*) may have stored more.",
                "Run the audit again with --reveal-unmanaged: it sets ADMIN_VIEW for the scan and puts the user profile back as it was afterwards."),
            StoredAttributeVisibility.Revealed => Informational("stored-attributes.revealed", "userProfile.unmanagedAttributePolicy",
                $"Set to {UnmanagedAttributeReveal.ScanPolicy} for the scan of {counts.Users} users (--reveal-unmanaged), " +
                    $"so every stored attribute was seen; the user profile was put back as it was.",
                "Nothing to do."),
            _ => Informational("stored-attributes.all-visible", "userProfile.unmanagedAttributePolicy",
                $"Set, so the scan of {counts.Users} users saw every stored attribute.",
                "Nothing to do."),
        };
    }

    private static AuditFinding Informational(string code, string where, string what, string fix) =>
        new(code, AuditSeverity.Informational, AuditChecks.StoredAttributes, where, what, fix);
}
