namespace IdpBridge.Core.Doctor;

/// <summary>How one check came out.</summary>
public enum DoctorStatus
{
    /// <summary>As IdpBridge needs it.</summary>
    Ok,

    /// <summary>Works, but something is worth fixing (events kept forever, a store not yet migrated).</summary>
    Warning,

    /// <summary>A feature fails or misbehaves until it is fixed.</summary>
    Problem,
}

/// <summary>
/// One result of <c>idpbridge doctor</c>: a stable code (<c>roles_missing</c>) and the facts found (the role names, the
/// realm, the URL), never a sentence: the command line says it in words and says what to fix.
/// </summary>
/// <param name="Code">What was found, as <c>area_outcome</c> in snake_case (see <see cref="DoctorCodes"/>).</param>
/// <param name="Status">Ok, warning or problem.</param>
/// <param name="Facts">What the words are made of (names and values, never a secret).</param>
public sealed record DoctorFinding(string Code, DoctorStatus Status, IReadOnlyDictionary<string, string> Facts)
{
    /// <summary>A finding with the facts given as name/value pairs (null values left out).</summary>
    public static DoctorFinding Of(string code, DoctorStatus status, params (string Name, string? Value)[] facts) =>
        new(code, status, facts.Where(fact => fact.Value is not null).ToDictionary(fact => fact.Name, fact => fact.Value!, StringComparer.Ordinal));
}

/// <summary>Every finding of one doctor run, in the order of the checks, and the checks that could not run (Keycloak unreachable, no token).</summary>
/// <param name="Realm">The realm checked.</param>
/// <param name="Findings">The findings.</param>
/// <param name="NotChecked">The areas skipped because an earlier check failed (<c>realm</c>, <c>roles</c>, <c>terms</c>, <c>events</c>).</param>
public sealed record DoctorReport(string Realm, IReadOnlyList<DoctorFinding> Findings, IReadOnlyList<string> NotChecked)
{
    /// <summary>True when some finding is a problem.</summary>
    public bool HasProblems => Findings.Any(finding => finding.Status == DoctorStatus.Problem);
}
