using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.SignIn;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Doctor;

/// <summary>
/// <c>idpbridge doctor</c>: checks, in order, that Keycloak answers, the admin token is issued, the realm exists and is
/// readable, the terms step is on (as the realm's mode says), the token holds each feature's roles, the events the
/// ledger reads are stored, and the store answers with a current schema. Reads only: it writes nothing, to Keycloak or
/// to the store. Returns data (<see cref="DoctorFinding"/>: codes and facts); the command line says it in words.
/// </summary>
public sealed class RealmDoctor(
    KeycloakAdminClient keycloak,
    KeycloakSignIn signIn,
    IOptions<KeycloakOptions> keycloakOptions,
    IStoreDatabase store,
    IOptions<IdpBridgeStorageOptions> storageOptions,
    TimeProvider time)
{
    /// <summary>
    /// Runs every check on <paramref name="realm"/>; <paramref name="features"/> are those whose roles to check (every
    /// feature when null; <see cref="IdpBridgeFeature.Rollout"/> only outside bridge mode, where no rollout writes users).
    /// </summary>
    public async Task<DoctorReport> CheckAsync(string realm, IReadOnlyCollection<IdpBridgeFeature>? features = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        var run = new DoctorRun(realm, keycloak, signIn, keycloakOptions.Value, time);
        var access = await ConnectionChecks.RunAsync(run, cancellationToken).ConfigureAwait(false);
        if (access is null)
        {
            run.Skip("realm", "terms", "roles", "events");
        }
        else if (keycloakOptions.Value.Realm is var tokenRealm && tokenRealm != realm && tokenRealm != "master")
        {
            // Keycloak lets a realm's tokens administer that realm only (and master's every realm).
            run.Add(DoctorFinding.Of(DoctorCodes.TokenOtherRealm, DoctorStatus.Problem, ("tokenRealm", tokenRealm), ("realm", realm)));
            run.Skip("realm", "terms", "roles", "events");
        }
        else if (await RealmChecks.RunAsync(run, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            run.Skip("terms", "roles", "events");
        }
        else
        {
            var mode = await TermsChecks.RunAsync(run, found, cancellationToken).ConfigureAwait(false);
            if (access.CarriesRoles)
            {
                var explicitly = features is { Count: > 0 };
                var checkedFeatures = (explicitly ? features! : Enum.GetValues<IdpBridgeFeature>())
                    .Where(feature => explicitly || !(feature == IdpBridgeFeature.Rollout && mode == TermsChecks.Mode.Bridge));
                RoleChecks.Run(run, access, checkedFeatures);
            }
            else
            {
                run.Skip("roles");
            }

            await EventsConfigChecks.RunAsync(run, cancellationToken).ConfigureAwait(false);
        }

        run.Add(await StoreChecks.RunAsync(store, storageOptions.Value, cancellationToken).ConfigureAwait(false));
        return run.ToReport();
    }
}
