using System.ComponentModel.DataAnnotations;

namespace IdpBridge.Core.Policies;

/// <summary>
/// How policies reach people. Bound from <c>IdpBridge:Policies</c> (environment <c>IdpBridge__Policies__PublicBaseUrl</c>, ...),
/// validated at start-up (<see cref="PolicyOptionsValidator"/>).
/// </summary>
public sealed class PolicyOptions : IValidatableObject
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
    [Required(ErrorMessage = $"{SectionName}:TermsPolicy must name a policy.")]
    public string TermsPolicy { get; set; } = "privacy";

    /// <summary>The IANA time zone in which effective dates are shown on the terms step. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The rules an attribute cannot say: the URL's shape and a time zone this machine knows.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" } || !string.IsNullOrEmpty(PublicBaseUrl.Query))
        {
            yield return new ValidationResult(
                $"{SectionName}:PublicBaseUrl must be an absolute http(s) URL without a query.", [nameof(PublicBaseUrl)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult(
                $"{SectionName}:TimeZone must be an IANA time zone such as America/Argentina/Buenos_Aires.", [nameof(TimeZone)]);
        }
    }
}
