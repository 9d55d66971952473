namespace IdpBridge.Core.Policies;

/// <summary>
/// How policies reach people. Bound from <c>IdpBridge:Policies</c> (environment <c>IdpBridge__Policies__PublicBaseUrl</c>, ...).
/// </summary>
public sealed class PolicyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Policies";

    /// <summary>
    /// Where people reach IdpBridge's public pages, e.g. <c>https://idp.example.org/idpbridge</c>: Keycloak's terms
    /// step links there. Default <c>http://localhost:8081</c> (the demo stack).
    /// </summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:8081");

    /// <summary>
    /// The policy whose versions Keycloak's terms step shows (<c>termsTitle</c>/<c>termsText</c>). Default
    /// <c>privacy</c>. Other policies are published and served but do not touch the terms step.
    /// </summary>
    public string TermsPolicy { get; set; } = "privacy";

    /// <summary>The IANA time zone in which effective dates are shown on the terms step. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";
}
