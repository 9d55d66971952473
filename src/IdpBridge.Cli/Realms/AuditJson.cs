using IdpBridge.Core.Audit;

namespace IdpBridge.Cli.Realms;

/// <summary><c>realm audit --output json</c>: the declared fields, the verdict and counts, the user scan and every result in words.</summary>
internal sealed record AuditJson(
    string Realm,
    IReadOnlyList<string> DeclaredFields,
    bool UsernameIsEmail,
    string? DeclaredIn,
    bool Clean,
    int Findings,
    int Informational,
    AuditScanJson Scan,
    IEnumerable<AuditResultJson> Results);

/// <summary>The user scan of <see cref="AuditJson"/>: users read, what the realm shows of attributes, users per attribute name.</summary>
internal sealed record AuditScanJson(
    int Users, StoredAttributeVisibility Visibility, Dictionary<string, int> UsersPerAttribute, int AttributesBeyondLimit);

/// <summary>One result of <see cref="AuditJson"/>: code, severity, check and place, what it means, how to fix it, its facts.</summary>
internal sealed record AuditResultJson(
    string Code, AuditSeverity Severity, string Check, string Where, string What, string Fix, IReadOnlyDictionary<string, object> Facts);
