namespace IdpBridge.KeycloakLauncher;

/// <summary>What a <see cref="KeycloakServer"/> starts with. Everything listed is copied into the server's own home at each start.</summary>
public sealed class KeycloakServerOptions
{
    /// <summary>Theme folders (e.g. <c>keycloak-theme/idpbridge</c>), each copied to <c>themes/&lt;folder name&gt;</c>.</summary>
    public IList<string> Themes { get; } = [];

    /// <summary>Provider jars, copied into <c>providers/</c> (Keycloak builds them in at start).</summary>
    public IList<string> Providers { get; } = [];

    /// <summary>More <c>kc.sh start-dev</c> options, e.g. <c>--log-level=info</c> or <c>--spi-...</c>.</summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>More environment variables for the server (<c>KC_*</c> settings, <c>JAVA_OPTS_KC_HEAP</c>).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The HTTP port on 127.0.0.1; 0 (the default) takes a free one.</summary>
    public int HttpPort { get; set; }

    /// <summary>The management port (health) on 127.0.0.1; 0 (the default) takes a free one.</summary>
    public int ManagementPort { get; set; }

    /// <summary>The folder under which the server's home is made; default the system's temporary folder.</summary>
    public string? HomeParent { get; set; }

    /// <summary>
    /// How long to wait for <c>/health/ready</c> at each start. Default 10 minutes: on 2 cores shared by several test
    /// runs, the build step alone (Quarkus augmentation, with a provider jar) was seen to take 3.5 minutes. The whole
    /// seconds in <c>IDPBRIDGE_KEYCLOAK_READY_SECONDS</c> (1 to 7200) replace the default.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = DefaultReadyTimeout();

    /// <summary>The bootstrap admin client (confidential, in <c>master</c>, client-credentials grant). Default <c>idpbridge-launcher</c>.</summary>
    public string AdminClientId { get; set; } = "idpbridge-launcher";

    /// <summary>Where the launcher says what it does (unpacking, start-up time); nothing when null. Never given a secret.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The environment variable whose whole seconds replace the default <see cref="ReadyTimeout"/>.</summary>
    public const string ReadyTimeoutVariable = "IDPBRIDGE_KEYCLOAK_READY_SECONDS";

    private static TimeSpan DefaultReadyTimeout() =>
        int.TryParse(
            System.Environment.GetEnvironmentVariable(ReadyTimeoutVariable),
            System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture,
            out var seconds)
        && seconds is > 0 and <= 7200
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(10);
}
