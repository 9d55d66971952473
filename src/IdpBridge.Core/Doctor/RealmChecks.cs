using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Realms;

namespace IdpBridge.Core.Doctor;

/// <summary>The realm exists and the client may read it whole.</summary>
internal static class RealmChecks
{
    /// <summary>
    /// Reads the realm. Without <c>view-realm</c> Keycloak 26.7.3 still answers 200, with a cut-down realm (<c>realm</c>,
    /// <c>registrationEmailAsUsername</c>, <c>bruteForceProtected</c>, <c>supportedLocales</c>, <c>organizationsEnabled</c>):
    /// it has no <c>id</c>, which the whole realm always has. Returns the realm when it exists (cut down or not), else null.
    /// </summary>
    public static async Task<RealmRepresentation?> RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        RealmRepresentation? realm;
        try
        {
            realm = await run.Keycloak.FindRealmAsAnsweredAsync(run.Realm, cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception)
        {
            run.Add(run.Refused("realm", exception));
            return null;
        }

        if (realm is null)
        {
            var similar = await SimilarAsync(run, cancellationToken).ConfigureAwait(false);
            run.Add(DoctorFinding.Of(DoctorCodes.RealmNotFound, DoctorStatus.Problem, ("realm", run.Realm), ("similar", similar)));
            return null;
        }

        if (realm.Id is null)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.RealmCutDown, DoctorStatus.Problem, ("realm", run.Realm), ("role", "view-realm"), ("clientId", run.Options.ClientId)));
            return realm;
        }

        run.Add(realm.Enabled == false
            ? DoctorFinding.Of(DoctorCodes.RealmDisabled, DoctorStatus.Warning, ("realm", run.Realm))
            : DoctorFinding.Of(DoctorCodes.RealmReadable, DoctorStatus.Ok, ("realm", run.Realm)));
        return realm;
    }

    /// <summary>A realm the client sees whose name differs only in case (realm names are case-sensitive), if any.</summary>
    private static async Task<string?> SimilarAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var candidate in run.Keycloak.ListRealmsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (candidate.Realm is { } name && string.Equals(name, run.Realm, StringComparison.OrdinalIgnoreCase))
                {
                    return name;
                }
            }
        }
        catch (KeycloakException)
        {
            // The list is a hint only: a client that may not list realms simply gets none.
        }

        return null;
    }
}
