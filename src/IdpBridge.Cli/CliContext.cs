using Microsoft.Extensions.Configuration;

namespace IdpBridge.Cli;

/// <summary>
/// Where a command reads and writes, and the settings it sees. The console and the process environment in real
/// use; in tests, writers and in-memory settings.
/// </summary>
internal sealed record CliContext(
    TextWriter Output,
    TextWriter Error,
    TextReader Input,
    bool IsInteractive,
    IConfiguration Configuration)
{
    /// <summary>
    /// Opens standard output as bytes, for exports that must control their encoding (a byte-order mark); null when
    /// <see cref="Output"/> is all there is (tests), and bytes then go through it as UTF-8 text.
    /// </summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    /// <summary>
    /// How long Keycloak's first answer may take before <c>Connecting to ...</c> is said on standard error
    /// (<see cref="CliConnectionNotice"/>); 1 second, infinite for tests that compare standard error whole.
    /// </summary>
    public TimeSpan ConnectingNoticeAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The console, with settings from <c>appsettings.json</c> in the current folder and the environment.</summary>
    public static CliContext FromConsole(TextWriter output, TextWriter error) => new(
        output,
        error,
        Console.In,
        !Console.IsInputRedirected && !Console.IsOutputRedirected,
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build())
    {
        OpenStandardOutput = Console.OpenStandardOutput,
    };

    /// <summary>
    /// Reports a failure the way every command does: <c>error: ...</c> on standard error and, with <c>--output json</c>,
    /// <c>{"error": ...}</c> on standard output for CI. Returns the error exit code.
    /// </summary>
    public async Task<int> FailAsync(Exception exception, bool json)
    {
        var message = CliFailure.Describe(exception);
        await Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        if (json)
        {
            var body = new System.Text.Json.Nodes.JsonObject { ["error"] = message };
            if (exception is Core.Rollouts.RolloutException refused)
            {
                // For CI: the refusal as data (docs/cli-json.md), the same code and facts as the admin API's problem details.
                body["code"] = refused.Code;
                body["facts"] = System.Text.Json.JsonSerializer.SerializeToNode(refused.Facts, CliJson.TypeInfo<Core.Rollouts.RolloutRefusalFacts>());
            }

            await Output.WriteLineAsync(body.ToJsonString()).ConfigureAwait(false);
        }

        return IdpBridgeCommand.ExitCodes.Error;
    }
}
