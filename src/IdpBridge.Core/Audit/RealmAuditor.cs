using IdpBridge.Keycloak;

namespace IdpBridge.Core.Audit;

/// <summary>
/// <c>idpbridge realm audit</c>: does the live realm collect, keep and hand out only the declared fields? Reads the realm
/// once (<see cref="RealmSnapshotReader"/>), runs each check family on it, and scans every user's stored attribute names.
/// Writes nothing, except with <see cref="RealmAuditOptions.RevealUnmanaged"/> (one profile write, then its undoing).
/// </summary>
public sealed class RealmAuditor(KeycloakAdminClient keycloak)
{
    /// <summary>Audits <paramref name="realm"/>; <paramref name="progress"/> hears of the user scan page by page.</summary>
    public async Task<RealmAudit> AuditAsync(
        string realm, RealmAuditOptions options, IProgress<UserScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PageSize, 1000);
        var snapshot = await RealmSnapshotReader.ReadAsync(keycloak, realm, cancellationToken).ConfigureAwait(false);
        var declared = options.Declared;

        Task<StoredAttributeCounts> Scan(CancellationToken token) => StoredAttributeScan.RunAsync(keycloak, realm, options.PageSize, progress, token);
        StoredAttributeCounts counts;
        StoredAttributeVisibility visibility;
        if (snapshot.UserProfile.UnmanagedAttributePolicy is not null)
        {
            (counts, visibility) = (await Scan(cancellationToken).ConfigureAwait(false), StoredAttributeVisibility.AllVisible);
        }
        else if (options.RevealUnmanaged)
        {
            var (result, revealed) = await UnmanagedAttributeReveal.RunAsync(keycloak, realm, Scan, cancellationToken).ConfigureAwait(false);
            (counts, visibility) = (result, revealed ? StoredAttributeVisibility.Revealed : StoredAttributeVisibility.AllVisible);
        }
        else
        {
            (counts, visibility) = (await Scan(cancellationToken).ConfigureAwait(false), StoredAttributeVisibility.ProfileOnly);
        }

        return Evaluate(snapshot, counts, visibility, declared);
    }

    /// <summary>Every check family on a snapshot and scan, grouped in <see cref="AuditChecks.All"/> order.</summary>
    public static RealmAudit Evaluate(RealmSnapshot snapshot, StoredAttributeCounts counts, StoredAttributeVisibility visibility, DeclaredFields declared)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(declared);
        IEnumerable<AuditFinding> results =
        [
            .. UserProfileChecks.Run(snapshot, declared),
            .. StoredAttributeChecks.Run(counts, visibility, snapshot, declared),
            .. RegistrationChecks.Run(snapshot, declared),
            .. IdentityProviderChecks.Run(snapshot, declared),
            .. TokenChecks.Run(snapshot, declared),
            .. EventsChecks.Run(snapshot),
        ];
        var ordered = results
            .OrderBy(result => IndexOf(result.Check))
            .ThenBy(result => result.Severity)
            .ToList();
        return new RealmAudit(snapshot.Realm.Realm ?? "", declared, ordered, counts, visibility);
    }

    private static int IndexOf(string check)
    {
        var index = AuditChecks.All.ToList().IndexOf(check);
        return index < 0 ? int.MaxValue : index;
    }
}
