using System.CommandLine;
using IdpBridge.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Rollouts;

/// <summary>The options every rollout command takes, and the way each runs.</summary>
internal sealed class RolloutCommandOptions
{
    private readonly Option<string> realm = new("--realm") { Description = "the Keycloak realm", Required = true };
    private readonly Option<string> policy = new("--policy") { Description = "the policy's name", DefaultValueFactory = _ => "privacy" };
    private readonly Option<string> output = new("--output") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
    private readonly Option<int?> maxInFlight = new Option<int?>("--max-in-flight")
    {
        Description = "at most this many Keycloak requests at once, 1 to 1000 (overrides IdpBridge__Keycloak__MaxInFlight; "
            + "default: adapts to the answers a second Keycloak gives, 16 to 64)",
    }.Between(1, 1000);

    private readonly Option<double?> maxRate = new Option<double?>("--max-rps")
    {
        Description = "at most this many Keycloak requests started per second, 0 for no limit (overrides IdpBridge__Keycloak__MaxRequestsPerSecond; default no limit)",
    }.AtLeast(0);

    private readonly CliServices services = new();
    private bool hasOutput;

    public RolloutCommandOptions(string withVersionHelp)
    {
        output.AcceptOnlyFromAmong("text", "json");
        Version = new Option<int?>("--version") { Description = withVersionHelp }.Between(1, int.MaxValue, " (a version number)");
    }

    public Option<int?> Version { get; }

    /// <summary>Adds the options; <paramref name="withOutput"/> false for a command whose output has a format of its own.</summary>
    public void AddTo(Command command, bool throttle, bool withOutput = true)
    {
        command.Options.Add(realm);
        command.Options.Add(policy);
        command.Options.Add(Version);
        if (throttle)
        {
            command.Options.Add(maxInFlight);
            command.Options.Add(maxRate);
        }

        hasOutput = withOutput;
        if (withOutput)
        {
            command.Options.Add(output);
        }

        services.AddTo(command);
    }

    public string Realm(ParseResult parseResult) => parseResult.GetValue(realm)!;

    public string Policy(ParseResult parseResult) => parseResult.GetValue(policy)!;

    public bool Json(ParseResult parseResult) => hasOutput && parseResult.GetValue(output) == "json";

    public async Task<Rollout> FindAsync(ServiceProvider provider, ParseResult parseResult, CancellationToken cancellationToken) =>
        // From the store alone: reading a rollout needs no Keycloak connection, so no Keycloak settings either.
        await RolloutService.FindAsync(
            provider.GetRequiredService<IRolloutStore>(), Realm(parseResult), Policy(parseResult), parseResult.GetValue(Version), cancellationToken)
            .ConfigureAwait(false)
        ?? throw new RolloutException(
            RolloutRefusal.NoSuchRollout, new RolloutRefusalFacts(Realm(parseResult), Policy(parseResult), parseResult.GetValue(Version)));

    public Task<int> RunAsync(CliContext context, ParseResult parseResult, Func<ServiceProvider, Task<int>> run) =>
        services.RunWithStoreAsync(context, parseResult, Json(parseResult), run, keycloak =>
        {
            if (parseResult.GetValue(maxInFlight) is { } inFlight)
            {
                keycloak.MaxInFlight = inFlight;
            }

            if (parseResult.GetValue(maxRate) is { } rate)
            {
                keycloak.MaxRequestsPerSecond = rate;
            }
        });
}
