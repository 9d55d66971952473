using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

/// <summary>
/// How IdpBridge reaches Keycloak's Admin REST API. Bound from the <c>IdpBridge:Keycloak</c> section
/// (environment <c>IdpBridge__Keycloak__Url</c>, ...). Keycloak's usual adapter keys are accepted too:
/// <c>auth-server-url</c>, <c>realm</c>, <c>resource</c> and <c>credentials:secret</c>. Validated at start-up
/// (<see cref="KeycloakOptionsValidator"/>, generated from the attributes here); every message names the setting.
/// Durations are written <c>hh:mm:ss</c> (<c>00:00:30</c>), or <c>d.hh:mm:ss</c>.
/// </summary>
public sealed class KeycloakOptions : IValidatableObject
{
    /// <summary>The longest duration there is, as data annotations write it: "no upper bound".</summary>
    private const string NoLimit = "10675199.02:48:05.4775807";

    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "IdpBridge:Keycloak";

    /// <summary>
    /// Keycloak's base URL, e.g. <c>https://sso.example.org</c>, or with the legacy <c>/auth</c> prefix of
    /// Keycloak before 17 (<c>https://sso.example.org/auth</c>): admin calls go to <c>{Url}/admin/realms/...</c>.
    /// Adapter key: <c>auth-server-url</c>. Required.
    /// </summary>
    [Required(ErrorMessage = "IdpBridge:Keycloak:Url (or auth-server-url) is required: Keycloak's base URL, e.g. https://sso.example.org.")]
    [KeycloakBaseUrl]
    public Uri? Url { get; set; }

    /// <summary>
    /// The realm whose token endpoint issues the admin token (where the service-account client lives).
    /// Adapter key: <c>realm</c>. Default <c>master</c>.
    /// </summary>
    [Required(ErrorMessage = "IdpBridge:Keycloak:Realm (or realm) must name the realm that issues the admin token.")]
    public string Realm { get; set; } = "master";

    /// <summary>The confidential client used for the client-credentials grant. Adapter key: <c>resource</c>. Required.</summary>
    [Required(ErrorMessage = "IdpBridge:Keycloak:ClientId (or resource) is required: the confidential client with a service account.")]
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The client's secret. Adapter key: <c>credentials:secret</c>. Required; never printed or logged.
    /// </summary>
    [MinLength(1, ErrorMessage = "IdpBridge:Keycloak:ClientSecret (or credentials:secret) is required.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "On a string MinLength and MaxLength read its Length; they reflect only on other types.")]
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// How long before its <c>expires_in</c> a cached admin token is renewed, not negative. Default 30 seconds
    /// (<c>00:00:30</c>); a token with a shorter life is renewed after half of it.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", NoLimit, ErrorMessage = "IdpBridge:Keycloak:TokenRenewalMargin must not be negative.")]
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt of one request, 10 ms to 1 day. Default 30 seconds (<c>00:00:30</c>).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "IdpBridge:Keycloak:AttemptTimeout must be between 10 milliseconds and 1 day.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Timeout of one call including every retry and wait (a <c>Retry-After</c> counts), at least
    /// <see cref="AttemptTimeout"/> and at most 1 day. Default 3 minutes (<c>00:03:00</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "IdpBridge:Keycloak:TotalTimeout must be between 10 milliseconds and 1 day.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The circuit breaker's sampling window: it opens when a tenth of at least 100 calls in this window failed.
    /// At least double <see cref="AttemptTimeout"/> (the rule of Microsoft's standard resilience handler: a shorter
    /// window closes before a timed-out attempt is counted in it) and at most 1 day. Default 1 minute (<c>00:01:00</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ErrorMessage = "IdpBridge:Keycloak:CircuitBreakerSamplingDuration must be between 0.5 seconds and 1 day.")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a failed call that is safe to repeat is retried (transient errors: 408, 429, 5xx, network
    /// failures, attempt timeouts), 0 to 20. Default 5.
    /// </summary>
    [SettingRange(0, 20, ErrorMessage = "IdpBridge:Keycloak:MaxRetries must be between 0 and 20.")]
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Base delay between retries, 0 to 1 day; exponential with jitter unless Keycloak sends <c>Retry-After</c>.
    /// Default 1 second (<c>00:00:01</c>).
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "IdpBridge:Keycloak:RetryBaseDelay must be between 0 and 1 day.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At most this many Admin API requests in flight at once, from this whole process (a rollout's workers share
    /// it), 1 to 1000. Halved while Keycloak answers 429 or 503 and grown back as it recovers. Unset (the default):
    /// the cap adapts to Keycloak, from <see cref="AdaptiveInitialInFlight"/> up to <see cref="AdaptiveMaxInFlight"/>,
    /// doubling while twice the requests in flight bring more answers a second, and backing off when they bring no
    /// more, when latency rises at the same cap, or when Keycloak answers 429/503.
    /// </summary>
    [SettingRange(1, 1000, ErrorMessage = "IdpBridge:Keycloak:MaxInFlight must be between 1 and 1000.")]
    public int? MaxInFlight { get; set; }

    /// <summary>The adaptive cap's ceiling (requests in flight): it never grows past it.</summary>
    public const int AdaptiveMaxInFlight = 64;

    /// <summary>
    /// The adaptive cap's starting point (requests in flight): 16, a modest load for any Keycloak, and past the levels
    /// whose measurements in a rollout's first second (both processes still compiling) are mostly noise: on 26.7.3
    /// here, starting from 4, the first tries of 16 measured 0.6–0.8 of 8 and held the cap at 8–16 for seconds.
    /// </summary>
    public const int AdaptiveInitialInFlight = 16;

    /// <summary>The most requests in flight the throttle ever lets through: <see cref="MaxInFlight"/>, or the adaptive ceiling.</summary>
    public int InFlightCeiling => MaxInFlight ?? AdaptiveMaxInFlight;

    /// <summary>At most this many Admin API requests started per second (a rate, per second); 0 (the default) sets no such limit.</summary>
    [SettingRange(0d, double.MaxValue, ErrorMessage = "IdpBridge:Keycloak:MaxRequestsPerSecond must be 0 (no limit) or positive.")]
    public double MaxRequestsPerSecond { get; set; }

    /// <summary>The rules between settings (the resilience pipeline's), after each setting's own.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) => ResilienceRules.Check(this);

    /// <summary>The admin API root, <c>{Url}/admin/realms/</c>.</summary>
    internal Uri AdminRoot => new(BaseWithSlash, "admin/realms/");

    /// <summary>The token endpoint of <see cref="Realm"/>.</summary>
    internal Uri TokenEndpoint =>
        new(BaseWithSlash, $"realms/{Uri.EscapeDataString(Realm)}/protocol/openid-connect/token");

    private Uri BaseWithSlash
    {
        get
        {
            var text = Url?.ToString() ?? throw new InvalidOperationException("Keycloak Url is not set.");
            return new Uri(text.EndsWith('/') ? text : text + "/");
        }
    }
}
