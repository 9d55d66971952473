namespace IdpBridge.Core.Audit;

/// <summary>
/// What the registration form asks for: Keycloak 26 builds it from the user profile (every attribute users edit), plus
/// a username unless the email is the username. Undeclared profile attributes are reported once, by
/// <see cref="UserProfileChecks"/>; this family reports the username and lists the form's fields.
/// </summary>
internal static class RegistrationChecks
{
    /// <summary>Keycloak's built-in registration flow.</summary>
    private const string BuiltInFlow = "registration";

    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot, DeclaredFields declared)
    {
        if (snapshot.Realm.RegistrationAllowed != true)
        {
            yield break;
        }

        var emailAsUsername = snapshot.Realm.RegistrationEmailAsUsername == true;
        if (!emailAsUsername && declared.UsernameIsEmail)
        {
            yield return AuditFinding.Of(AuditCodes.RegistrationUsernameAsked, AuditSeverity.Finding, AuditChecks.Registration, "registrationEmailAsUsername");
        }

        var fields = (snapshot.UserProfile.Attributes ?? [])
            .Where(attribute => attribute.Name is { } name && UserProfileChecks.UserEdits(attribute) && !(emailAsUsername && name == "username"))
            .Select(attribute => attribute.Name!)
            .ToList();
        yield return AuditFinding.Of(
            AuditCodes.RegistrationFormFields, AuditSeverity.Informational, AuditChecks.Registration, "userProfile.attributes", ("fields", fields));

        if (snapshot.RealmField("registrationFlow") is { } flow && flow != BuiltInFlow)
        {
            yield return AuditFinding.Of(
                AuditCodes.RegistrationCustomFlow, AuditSeverity.Informational, AuditChecks.Registration, "registrationFlow", ("flow", flow));
        }
    }
}
