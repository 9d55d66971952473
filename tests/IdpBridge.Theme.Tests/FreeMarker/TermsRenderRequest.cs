namespace IdpBridge.Theme.Tests.FreeMarker;

/// <summary>One render of a login-theme template, with the parts of Keycloak's data model the terms page reads.</summary>
internal sealed record TermsRenderRequest
{
    /// <summary>A login-action URL as Keycloak writes it (with a query, so escaping in the action attribute is exercised).</summary>
    public const string DefaultLoginAction =
        "http://127.0.0.1/realms/externos/login-actions/required-action?session_code=c0de&execution=TERMS_AND_CONDITIONS&client_id=account&tab_id=t4b";

    public string Template { get; init; } = "terms.ftl";

    /// <summary>The user's language; null when the realm has internationalisation off (no <c>locale</c> in the model).</summary>
    public string? Locale { get; init; } = "es";

    public string RealmName { get; init; } = "externos";

    public string LoginAction { get; init; } = DefaultLoginAction;

    /// <summary>The realm's own texts for <see cref="Locale"/> (Admin API localization), which beat the theme's.</summary>
    public IReadOnlyDictionary<string, string> RealmTexts { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// What a required action adds to the page's data model (<c>LoginFormsProvider.setAttribute</c>), as strings: IdpBridge's
    /// extension sets <c>idpbridgeTermsStep</c>, <c>idpbridgeTermsVersion</c>, <c>idpbridgeTermsKind</c>, <c>idpbridgeTermsEffectiveDate</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Environment variables for the renderer's JVM, which resolves <c>${env.NAME:default}</c> in theme.properties as
    /// Keycloak does; a null value removes the variable. <c>IDPBRIDGE_PUBLIC_URL</c> is removed unless set here.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}
