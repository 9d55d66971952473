namespace IdpBridge.Keycloak;

/// <summary>
/// How IdpBridge reaches Keycloak's Admin REST API. Bound from the <c>IdpBridge:Keycloak</c> section
/// (environment <c>IdpBridge__Keycloak__Url</c>, ...). Keycloak's usual adapter keys are accepted too:
/// <c>auth-server-url</c>, <c>realm</c>, <c>resource</c> and <c>credentials:secret</c>.
/// </summary>
public sealed class KeycloakOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "IdpBridge:Keycloak";

    /// <summary>
    /// Keycloak's base URL, e.g. <c>https://sso.example.org</c>, or with the legacy <c>/auth</c> prefix of
    /// Keycloak before 17 (<c>https://sso.example.org/auth</c>): admin calls go to <c>{Url}/admin/realms/...</c>.
    /// Adapter key: <c>auth-server-url</c>. Required.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// The realm whose token endpoint issues the admin token (where the service-account client lives).
    /// Adapter key: <c>realm</c>. Default <c>master</c>.
    /// </summary>
    public string Realm { get; set; } = "master";

    /// <summary>The confidential client used for the client-credentials grant. Adapter key: <c>resource</c>. Required.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The client's secret. Adapter key: <c>credentials:secret</c>. Required; never printed or logged.
    /// </summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// How long before its <c>expires_in</c> a cached admin token is renewed. Default 30 seconds; a token
    /// with a shorter life is renewed after half of it.
    /// </summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt of one request, 10 ms to 1 day. Default 30 seconds (<c>00:00:30</c>).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Timeout of one call including every retry and wait (a <c>Retry-After</c> counts), at least
    /// <see cref="AttemptTimeout"/> and at most 1 day. Default 3 minutes (<c>00:03:00</c>).
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The circuit breaker's sampling window: it opens when a tenth of at least 100 calls in this window failed.
    /// At least double <see cref="AttemptTimeout"/> (the rule of Microsoft's standard resilience handler: a shorter
    /// window closes before a timed-out attempt is counted in it) and at most 1 day. Default 1 minute (<c>00:01:00</c>).
    /// </summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a failed call that is safe to repeat is retried (transient errors: 408, 429, 5xx, network
    /// failures, attempt timeouts). Default 5.
    /// </summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Base delay between retries; exponential with jitter unless Keycloak sends <c>Retry-After</c>. Default 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At most this many Admin API requests in flight at once, from this whole process (a rollout's workers share
    /// it). Halved while Keycloak answers 429 or 503 and grown back as it recovers. Default 8.
    /// </summary>
    public int MaxInFlight { get; set; } = 8;

    /// <summary>At most this many Admin API requests started per second; 0 (the default) sets no such limit.</summary>
    public double MaxRequestsPerSecond { get; set; }

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
