using IdpBridge.Keycloak;
using IdpBridge.Keycloak.SignIn;

namespace IdpBridge.Core.Doctor;

/// <summary>One doctor run: what the checks use, and the findings so far.</summary>
internal sealed class DoctorRun(string realm, KeycloakAdminClient keycloak, KeycloakSignIn signIn, KeycloakOptions options, TimeProvider time)
{
    private readonly List<DoctorFinding> findings = [];
    private readonly List<string> notChecked = [];

    public string Realm => realm;

    public KeycloakAdminClient Keycloak => keycloak;

    public KeycloakSignIn SignIn => signIn;

    public KeycloakOptions Options => options;

    public TimeProvider Time => time;

    public void Add(DoctorFinding finding) => findings.Add(finding);

    public void Skip(params string[] areas) => notChecked.AddRange(areas);

    /// <summary>
    /// The finding for a call of <paramref name="area"/> that Keycloak refused or failed: a 403 names the role it needs
    /// (<see cref="KeycloakException.MissingRole"/>); anything else carries Keycloak's message.
    /// </summary>
    public DoctorFinding Refused(string area, KeycloakException exception) =>
        exception.StatusCode == System.Net.HttpStatusCode.Forbidden
            ? DoctorFinding.Of(
                DoctorCodes.Forbidden, DoctorStatus.Problem, ("area", area), ("role", exception.MissingRole), ("realm", realm), ("clientId", options.ClientId))
            : DoctorFinding.Of(DoctorCodes.Failed, DoctorStatus.Problem, ("area", area), ("error", exception.Message));

    public DoctorReport ToReport() => new(realm, findings.ToList(), notChecked.ToList());
}
