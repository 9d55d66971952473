namespace IdpBridge.Testing.Simulator;

/// <summary>How a <see cref="KeycloakSimulator"/> starts.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The Keycloak version the real-server tests run, and the simulator's default.</summary>
    public const string Keycloak26_7 = "26.7.3";

    /// <summary>An older 26.x server whose answers differ where docs/keycloak-facts.md says (seen on 26.4.7).</summary>
    public const string Keycloak26_4 = "26.4.7";

    /// <summary>
    /// The Keycloak version the simulator answers as: <see cref="Keycloak26_7"/> (the default) or
    /// <see cref="Keycloak26_4"/>, whose user lists differ: their items carry <c>userProfileMetadata</c>, and
    /// <c>briefRepresentation=true</c> still returns <c>requiredActions</c>, <c>totp</c>, <c>notBefore</c> and
    /// <c>disableableCredentialTypes</c>. Everything else answers the same on both (as the real servers did).
    /// </summary>
    public string KeycloakVersion { get; init; } = Keycloak26_7;

    /// <summary>
    /// Required-action providers installed beside Keycloak's own (a jar in the server's <c>providers/</c>), as
    /// (provider id, display name): listed by <c>unregistered-required-actions</c> until registered. The real test
    /// server has IdpBridge's extension (<c>idpbridge-terms</c>); the default is none.
    /// </summary>
    public IReadOnlyList<(string ProviderId, string Name)> InstalledRequiredActionProviders { get; init; } = [];

    /// <summary>TCP port to listen on; 0 (the default) picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// "" (Keycloak 17+ layout, the default) or "/auth" (the legacy layout of Keycloak before 17): every route,
    /// admin and OIDC alike, lives under it.
    /// </summary>
    public string PathPrefix { get; init; } = "";

    /// <summary>Clock for token expiry, event times and timestamps. Latency faults use real time unless <see cref="LatencyOnTimeProvider"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Latency faults wait on <see cref="TimeProvider"/> (a fake clock the test advances), not real time. Default false.</summary>
    public bool LatencyOnTimeProvider { get; init; }

    /// <summary>Turns on WireMock's own <c>/__admin</c> interface (the standalone process does).</summary>
    public bool EnableAdminInterface { get; init; }

    /// <summary>Caps both WireMock's request log and <see cref="KeycloakSimulator.Requests"/> (oldest dropped); null = unbounded.</summary>
    public int? MaxRequestLogCount { get; init; }

    /// <summary>Runs every admin request and response through the OpenAPI contract seam (default true).</summary>
    public bool CheckContract { get; init; } = true;

    /// <summary>
    /// With <see cref="CheckContract"/>, also reports a request that Keycloak 26.0, the oldest supported server,
    /// would not understand (a path, method or query parameter its OpenAPI document lacks). Default true; a test
    /// that deliberately uses a newer feature (events <c>direction</c>) turns it off.
    /// </summary>
    public bool CheckKeycloak26_0 { get; init; } = true;

    /// <summary>
    /// Lifetime of the admin client's access tokens in the <c>master</c> realm, in seconds (default 60, shorter than
    /// Keycloak's 300 so that tests meet expiry). Other realms use their <c>accessTokenLifespan</c> (300 by default).
    /// </summary>
    public int AdminTokenLifetimeSeconds { get; init; } = 60;

    /// <summary>Client id of the confidential admin client created in <c>master</c> (default <c>idpbridge-admin</c>).</summary>
    public string AdminClientId { get; init; } = "idpbridge-admin";

    /// <summary>Secret of the admin client; null = a random one per simulator.</summary>
    public string? AdminClientSecret { get; init; }
}
