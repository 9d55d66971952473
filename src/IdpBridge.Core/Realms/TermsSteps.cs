using IdpBridge.Keycloak.RequiredActions;

namespace IdpBridge.Core.Realms;

/// <summary>
/// The two required actions that can ask a user to accept the terms: Keycloak's own (Admin API mode, put on each user)
/// and IdpBridge's extension (bridge mode, <c>keycloak-extension/</c>, deciding by itself at each login). A realm runs
/// one of them, never both.
/// </summary>
public static class TermsSteps
{
    /// <summary>Keycloak's built-in terms step.</summary>
    public const string BuiltIn = RequiredActionProviderRepresentation.TermsAndConditions;

    /// <summary>The alias and provider id of IdpBridge's required-action bridge.</summary>
    public const string Bridge = "idpbridge-terms";

    /// <summary>The jar the bridge needs in Keycloak's <c>providers/</c>, as <c>scripts/build-extension.sh</c> builds it.</summary>
    public const string BridgeJar = "idpbridge-keycloak-extension.jar";

    /// <summary>What a person does when Keycloak does not have the bridge's provider.</summary>
    public const string InstallBridge =
        $"copy {BridgeJar} (built by scripts/build-extension.sh into keycloak-extension/build/) into Keycloak's providers/ " +
        "folder and restart Keycloak, or run the realm in Admin API mode (declare TERMS_AND_CONDITIONS instead)";
}
