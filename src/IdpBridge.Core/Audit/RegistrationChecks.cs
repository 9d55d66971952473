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
            yield return new AuditFinding(
                "registration.username-asked",
                AuditSeverity.Finding,
                AuditChecks.Registration,
                "registrationEmailAsUsername",
                "The registration form asks for a username of the person's choosing besides the email; the declared fields make the email the username.",
                "Set registrationEmailAsUsername to true (admin console: Realm settings → Login → Email as username; or the realm config, then realm apply).");
        }

        var fields = (snapshot.UserProfile.Attributes ?? [])
            .Where(attribute => attribute.Name is { } name && UserProfileChecks.UserEdits(attribute) && !(emailAsUsername && name == "username"))
            .Select(attribute => attribute.Name!)
            .ToList();
        yield return new AuditFinding(
            "registration.form-fields",
            AuditSeverity.Informational,
            AuditChecks.Registration,
            "userProfile.attributes",
            $"The registration form asks for: {(fields.Count == 0 ? "nothing from the profile" : string.Join(", ", fields))} (and a password).",
            "Nothing to do when these are the declared fields.");

        if (snapshot.RealmField("registrationFlow") is { } flow && flow != BuiltInFlow)
        {
            yield return new AuditFinding(
                "registration.custom-flow",
                AuditSeverity.Informational,
                AuditChecks.Registration,
                "registrationFlow",
                $"Registration runs the flow '{flow}', not Keycloak's built-in one: " +
                    $"its form actions may ask for more than the profile (a captcha sends the person's address to its provider).",
                $"Check the executions of '{flow}' (admin console: Authentication → {flow}).");
        }
    }
}
