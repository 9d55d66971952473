using IdpBridge.Keycloak.SignIn;

namespace IdpBridge.Core.Doctor;

/// <summary>Each feature's <c>realm-management</c> roles (<see cref="FeatureRoles"/>) against the roles the admin token carries.</summary>
internal static class RoleChecks
{
    /// <summary>
    /// One finding per feature of <paramref name="features"/>: granted, or the roles missing and the client whose roles
    /// they are (<c>realm-management</c> of the realm, or <c>{realm}-realm</c> of master for a master token).
    /// </summary>
    public static void Run(DoctorRun run, AdminTokenAccess access, IEnumerable<IdpBridgeFeature> features)
    {
        var tokenRealm = run.Options.Realm;
        var held = access.AdminRolesOn(run.Realm, tokenRealm);
        var masterAdmin = tokenRealm == "master" && access.RealmRoles.Contains("admin");
        var roleClient = tokenRealm == "master" ? AdminTokenAccess.MasterManagementClient(run.Realm) : "realm-management";
        foreach (var feature in features)
        {
            var required = FeatureRoles.Of(feature);
            var missing = masterAdmin ? [] : FeatureRoles.Missing(required, held);
            var name = Name(feature);
            run.Add(missing.Count == 0
                ? DoctorFinding.Of(DoctorCodes.RolesGranted, DoctorStatus.Ok, ("feature", name), ("roles", string.Join(", ", required)))
                : DoctorFinding.Of(
                    DoctorCodes.RolesMissing,
                    DoctorStatus.Problem,
                    ("feature", name),
                    ("missing", string.Join(", ", missing)),
                    ("roles", string.Join(", ", required)),
                    ("clientId", run.Options.ClientId),
                    ("tokenRealm", tokenRealm),
                    ("roleClient", roleClient),
                    ("realm", run.Realm)));
        }
    }

    /// <summary>The feature's name in findings and on the command line (<c>plan</c>, <c>rollout</c>...).</summary>
    public static string Name(IdpBridgeFeature feature) => feature.ToString().ToLowerInvariant();
}
