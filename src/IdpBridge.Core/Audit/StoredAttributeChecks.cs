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
        var bridge = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, users) in counts.UsersPerAttribute.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            // Declared attributes, and the profile's others (reported by the user-profile check), are not reported again.
            if (declared.Declares(name) || inProfile.Contains(name))
            {
                continue;
            }

            var where = $"users[*].attributes[{name}]";
            if (name.StartsWith(BridgePrefix, StringComparison.Ordinal))
            {
                bridge[name] = users;
                continue;
            }

            var (code, severity) = name switch
            {
                "locale" when snapshot.Realm.InternationalizationEnabled == true => (AuditCodes.StoredAttributesLocale, AuditSeverity.Informational),
                UserRepresentation.TermsAcceptedAttribute => (AuditCodes.StoredAttributesTermsAccepted, AuditSeverity.Informational),
                _ when FederationLinks.Contains(name) => (AuditCodes.StoredAttributesFederationLink, AuditSeverity.Informational),
                _ => (AuditCodes.StoredAttributesUndeclared, AuditSeverity.Finding),
            };
            yield return AuditFinding.Of(code, severity, AuditChecks.StoredAttributes, where,
                ("attribute", name), ("users", users), ("scanned", counts.Users),
                ("realm", severity == AuditSeverity.Finding ? snapshot.Realm.Realm : null));
        }

        if (bridge.Count > 0)
        {
            yield return Informational(AuditCodes.StoredAttributesIdpBridgeAcceptance, $"users[*].attributes[{BridgePrefix}*]",
                ("step", TermsSteps.Bridge), ("usersPerAttribute", bridge));
        }

        if (counts.NamesBeyondLimit > 0)
        {
            yield return AuditFinding.Of(
                AuditCodes.StoredAttributesTooManyNames, AuditSeverity.Finding, AuditChecks.StoredAttributes, "users[*].attributes",
                ("maxNames", StoredAttributeCounts.MaxAttributeNames), ("valuesBeyondLimit", counts.NamesBeyondLimit));
        }

        const string PolicyWhere = "userProfile.unmanagedAttributePolicy";
        yield return visibility switch
        {
            StoredAttributeVisibility.ProfileOnly => Informational(AuditCodes.StoredAttributesHidden, PolicyWhere,
                ("scanned", counts.Users), ("prefix", BridgePrefix)),
            StoredAttributeVisibility.Revealed => Informational(AuditCodes.StoredAttributesRevealed, PolicyWhere,
                ("policy", UnmanagedAttributeReveal.ScanPolicy), ("scanned", counts.Users)),
            _ => Informational(AuditCodes.StoredAttributesAllVisible, PolicyWhere, ("scanned", counts.Users)),
        };
    }

    private static AuditFinding Informational(string code, string where, params (string Name, object? Value)[] facts) =>
        AuditFinding.Of(code, AuditSeverity.Informational, AuditChecks.StoredAttributes, where, facts);
}
