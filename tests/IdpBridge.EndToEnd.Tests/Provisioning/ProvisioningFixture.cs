using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>
/// Provisioning through the real <c>idpbridge</c> command against the shared real Keycloak: every run is checked for
/// the secrets it was given (none may be printed), and state is read back with the admin API, not from IdpBridge.
/// </summary>
public abstract class ProvisioningFixture
{
    private RealServer? server;

    private protected RealServer Server => server ?? throw new InvalidOperationException("The server is not started.");

    private protected AdminRest Admin => Server.Admin;

    [OneTimeSetUp]
    public async Task StartServer() => server = await RealServer.SharedAsync();

    [OneTimeTearDown]
    public void ReleaseServer() => server?.Dispose();

    /// <summary>Runs <c>idpbridge</c> (through <paramref name="proxy"/> when given) and fails if it printed any secret.</summary>
    private protected async Task<CliRun> IdpbridgeAsync(RecordingProxy? proxy, params string[] args)
    {
        var run = await Server.Cli(proxy?.Url).RunAsync(args);
        AssertNoSecretIn($"idpbridge {string.Join(' ', args)}", run.Output + run.Error);
        return run;
    }

    /// <summary>Runs <c>idpbridge</c> straight against the server.</summary>
    private protected Task<CliRun> IdpbridgeAsync(params string[] args) => IdpbridgeAsync(null, args);

    /// <summary><c>realm apply --auto-approve</c> of the demo copy, which must succeed.</summary>
    private protected async Task<CliRun> ApplyAsync(DemoRealm demo, RecordingProxy? proxy = null)
    {
        var run = await IdpbridgeAsync(proxy, "realm", "apply", demo.Folder, "--auto-approve");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return run;
    }

    /// <summary>Fails if <paramref name="text"/> holds any secret IdpBridge was given (the demo's and the admin client's).</summary>
    private protected void AssertNoSecretIn(string what, string text)
    {
        foreach (var secret in Server.Secrets)
        {
            Assert.That(text.Contains(secret, StringComparison.Ordinal), Is.False, $"{what} printed a secret starting {secret[..4]}");
        }
    }

    /// <summary>GET <c>realms/{realm}{rest}</c> on the admin API.</summary>
    private protected async Task<JsonNode> ReadAsync(DemoRealm demo, string rest = "") =>
        (await Admin.GetAsync($"realms/{Uri.EscapeDataString(demo.Name)}{rest}"))!;

    /// <summary>PUT <c>realms/{realm}{rest}</c> on the admin API (to make drift as another admin would).</summary>
    private protected Task<AdminResponse> WriteAsync(DemoRealm demo, string rest, JsonNode body) =>
        Admin.SendAsync(HttpMethod.Put, $"realms/{Uri.EscapeDataString(demo.Name)}{rest}", body);

    /// <summary>The strings of a JSON array.</summary>
    private protected static string[] Strings(JsonNode? node) => node is JsonArray array ? array.Select(item => item!.GetValue<string>()).ToArray() : [];
}
