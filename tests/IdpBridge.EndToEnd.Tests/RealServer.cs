using IdpBridge.KeycloakLauncher;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>
/// The real Keycloak this assembly's tests share (one per test process), its admin API for set-up and read-back,
/// and <c>idpbridge</c> configured to use its bootstrap admin client.
/// </summary>
internal sealed class RealServer : IDisposable
{
    private RealServer(KeycloakServer server)
    {
        Server = server;
        Admin = new AdminRest(server);
    }

    public KeycloakServer Server { get; }

    public AdminRest Admin { get; }

    /// <summary>The shared server (started on first use).</summary>
    public static async Task<RealServer> SharedAsync() => new(await RealKeycloak.SharedAsync());

    /// <summary>A server of the test's own (for tests that kill it), disposed by the caller with <see cref="DisposeOwnAsync"/>.</summary>
    public static async Task<RealServer> OwnAsync() => new(await RealKeycloak.StartOwnAsync());

    /// <summary>
    /// <c>idpbridge</c> pointed at <paramref name="keycloakUrl"/> (default the server itself; a <see cref="RecordingProxy"/>
    /// to count requests) with the bootstrap admin client, and the demo realm's secrets in the environment.
    /// </summary>
    public IdpBridgeProcess Cli(Uri? keycloakUrl = null)
    {
        var cli = new IdpBridgeProcess();
        cli.Environment["IdpBridge__Keycloak__Url"] = (keycloakUrl ?? Server.BaseUrl).ToString().TrimEnd('/');
        cli.Environment["IdpBridge__Keycloak__ClientId"] = Server.AdminClientId;
        cli.Environment["IdpBridge__Keycloak__ClientSecret"] = Server.AdminClientSecret;
        foreach (var (name, value) in DemoRealm.Secrets)
        {
            cli.Environment[name] = value;
        }

        return cli;
    }

    /// <summary>
    /// Every secret IdpBridge is given here: none may appear in what it prints. The demo's client ids are not secrets
    /// (plans show them).
    /// </summary>
    public IEnumerable<string> Secrets => DemoRealm.Secrets
        .Where(variable => variable.Key.EndsWith("_SECRET", StringComparison.Ordinal))
        .Select(variable => variable.Value)
        .Append(Server.AdminClientSecret);

    public async Task DisposeOwnAsync()
    {
        Dispose();
        await Server.DisposeAsync();
    }

    public void Dispose() => Admin.Dispose();
}
