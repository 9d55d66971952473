namespace IdpBridge.Core.Audit;

/// <summary>How <c>realm audit</c> runs.</summary>
public sealed record RealmAuditOptions
{
    /// <summary>The fields the policy declares; <see cref="DeclaredFields.Default"/> unless a realm config says.</summary>
    public DeclaredFields Declared { get; init; } = DeclaredFields.Default;

    /// <summary>
    /// Set <c>unmanagedAttributePolicy</c> to <c>ADMIN_VIEW</c> for the user scan when it is unset, and restore the profile
    /// after (<see cref="UnmanagedAttributeReveal"/>). Off by default: the audit otherwise writes nothing.
    /// </summary>
    public bool RevealUnmanaged { get; init; }

    /// <summary>Users per list request of the scan, 1 to 1000 (default 100, Keycloak's own).</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>The audit of one realm: every result, and what the user scan counted.</summary>
/// <param name="Realm">The realm audited.</param>
/// <param name="Declared">The declared fields it was audited against.</param>
/// <param name="Results">Findings and informational results, grouped by check family in <see cref="AuditChecks.All"/> order.</param>
/// <param name="Scan">The user scan's counts per attribute name (never a value).</param>
/// <param name="Visibility">What the scan could see.</param>
public sealed record RealmAudit(
    string Realm, DeclaredFields Declared, IReadOnlyList<AuditFinding> Results, StoredAttributeCounts Scan, StoredAttributeVisibility Visibility)
{
    /// <summary>The results that are findings.</summary>
    public IEnumerable<AuditFinding> Findings => Results.Where(result => result.Severity == AuditSeverity.Finding);

    /// <summary>True when nothing was found (informational results do not count).</summary>
    public bool IsClean => !Findings.Any();
}
