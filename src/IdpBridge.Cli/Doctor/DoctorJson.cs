using IdpBridge.Core.Doctor;

namespace IdpBridge.Cli.Doctor;

/// <summary><c>doctor --output json</c>: the realm, whether nothing is a problem, the counts, each finding in words, what was skipped.</summary>
internal sealed record DoctorJson(
    string Realm, bool Ok, int Problems, int Warnings, IEnumerable<DoctorFindingJson> Findings, IReadOnlyList<string> NotChecked);

/// <summary>One finding of <see cref="DoctorJson"/>: its code and status, what it means and how to fix it, its facts.</summary>
internal sealed record DoctorFindingJson(string Code, DoctorStatus Status, string What, string? Fix, IReadOnlyDictionary<string, string> Facts);
