using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.RequiredActions;

namespace IdpBridge.Core.Doctor;

/// <summary>How the realm asks its users to accept, and whether that step is on (<see cref="RealmTermsMode"/>).</summary>
internal static class TermsChecks
{
    /// <summary>The realm's terms mode as its required actions say.</summary>
    public enum Mode
    {
        /// <summary>Neither step is on, or the actions could not be read.</summary>
        Unknown,

        /// <summary>Keycloak's <c>TERMS_AND_CONDITIONS</c>, put on users by rollouts.</summary>
        AdminApi,

        /// <summary>IdpBridge's <c>idpbridge-terms</c> provider.</summary>
        Bridge,
    }

    /// <summary>
    /// Bridge mode when <c>idpbridge-terms</c> is registered and enabled (a version must then be published to the realm);
    /// else Admin API mode when <c>TERMS_AND_CONDITIONS</c> is enabled (and should be a default action, so that new users
    /// accept at their first login); else nobody is asked.
    /// </summary>
    public static async Task<Mode> RunAsync(DoctorRun run, RealmRepresentation? realm, CancellationToken cancellationToken)
    {
        IReadOnlyList<RequiredActionProviderRepresentation> actions;
        try
        {
            actions = await run.Keycloak.ListRequiredActionsAsync(run.Realm, cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception)
        {
            run.Add(run.Refused("terms", exception));
            return Mode.Unknown;
        }

        const string terms = RequiredActionProviderRepresentation.TermsAndConditions;
        var builtIn = actions.FirstOrDefault(action => action.Alias == terms);
        if (RealmTermsMode.UsesBridge(actions))
        {
            run.Add(DoctorFinding.Of(DoctorCodes.TermsReady, DoctorStatus.Ok, ("mode", "bridge"), ("alias", RealmTermsMode.BridgeAlias)));
            if (builtIn is { Enabled: true })
            {
                run.Add(DoctorFinding.Of(DoctorCodes.TermsBoth, DoctorStatus.Warning, ("alias", terms)));
            }

            // A cut-down realm has no attributes to tell: its own finding already says view-realm is missing.
            if (realm is { Id: not null } && realm.Attributes?.ContainsKey(BridgeRealmAttributes.Version) != true)
            {
                run.Add(DoctorFinding.Of(DoctorCodes.TermsNoVersion, DoctorStatus.Warning, ("attribute", BridgeRealmAttributes.Version)));
            }

            return Mode.Bridge;
        }

        if (builtIn is { Enabled: true })
        {
            run.Add(builtIn.DefaultAction
                ? DoctorFinding.Of(DoctorCodes.TermsReady, DoctorStatus.Ok, ("mode", "admin-api"), ("alias", terms))
                : DoctorFinding.Of(DoctorCodes.TermsNotDefault, DoctorStatus.Warning, ("alias", terms)));
            return Mode.AdminApi;
        }

        run.Add(DoctorFinding.Of(
            DoctorCodes.TermsOff,
            DoctorStatus.Problem,
            ("alias", terms),
            ("bridge", await BridgeStateAsync(run, actions, cancellationToken).ConfigureAwait(false)),
            ("termsAction", builtIn is null ? "absent" : "registered")));
        return Mode.Unknown;
    }

    /// <summary><c>registered</c> (but disabled), <c>installed</c> (in Keycloak's providers, not registered) or <c>absent</c>.</summary>
    private static async Task<string> BridgeStateAsync(
        DoctorRun run, IReadOnlyList<RequiredActionProviderRepresentation> actions, CancellationToken cancellationToken)
    {
        if (actions.Any(action => action.Alias == RealmTermsMode.BridgeAlias))
        {
            return "registered";
        }

        try
        {
            var unregistered = await run.Keycloak.ListUnregisteredRequiredActionsAsync(run.Realm, cancellationToken).ConfigureAwait(false);
            return unregistered.Any(action => action.ProviderId == RealmTermsMode.BridgeAlias) ? "installed" : "absent";
        }
        catch (KeycloakException)
        {
            return "absent";
        }
    }
}
