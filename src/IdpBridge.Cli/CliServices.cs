using System.CommandLine;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdpBridge.Cli;

/// <summary>
/// The connection options shared by every command that talks to Keycloak, and the services commands use: the
/// Keycloak client, the store (<c>IdpBridge:Storage</c>, SQLite by default), policy publishing and rollouts.
/// </summary>
internal sealed class CliServices
{
    private readonly Option<Uri?> url = new("--keycloak-url")
    {
        Description = "Keycloak's base URL, e.g. https://sso.example.org (overrides IdpBridge__Keycloak__Url)",
        // System.CommandLine has no parser for Uri: without this one every value, valid ones too, failed.
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var value) && value.Scheme is "http" or "https")
            {
                return value;
            }

            result.AddError($"--keycloak-url must be an absolute http or https URL such as https://sso.example.org, not '{text}'.");
            return null;
        },
    };

    private readonly Option<string?> realm = new("--keycloak-realm")
    {
        Description = "realm that issues the admin token (overrides IdpBridge__Keycloak__Realm; default master)",
    };

    private readonly Option<string?> clientId = new("--client-id")
    {
        Description = "admin client id (overrides IdpBridge__Keycloak__ClientId); its secret comes from IdpBridge__Keycloak__ClientSecret",
    };

    /// <summary>Adds the connection options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(url);
        command.Options.Add(realm);
        command.Options.Add(clientId);
    }

    /// <summary>
    /// The services a command needs, with Keycloak options from configuration overridden by the command line and
    /// validated now (a bad setting is reported before any request).
    /// </summary>
    public ServiceProvider BuildServices(ParseResult parseResult, CliContext context, Action<KeycloakOptions>? configureKeycloak = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context.Configuration);
        // Warnings only: request URLs carry realm names and user ids, never secrets, but they are noise in a CLI.
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddKeycloakAdminClient(options =>
        {
            if (parseResult.GetValue(url) is { } overrideUrl)
            {
                options.Url = overrideUrl;
            }

            if (parseResult.GetValue(realm) is { Length: > 0 } overrideRealm)
            {
                options.Realm = overrideRealm;
            }

            if (parseResult.GetValue(clientId) is { Length: > 0 } overrideClient)
            {
                options.ClientId = overrideClient;
            }

            configureKeycloak?.Invoke(options);
        });
        services.AddIdpBridgeCore();
        CliConnectionNotice.AddTo(services, context);
        CliVerbose.AddTo(services, parseResult, context.Error);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Runs a command that works with IdpBridge's database: builds the services, brings the schema up to date, runs
    /// <paramref name="run"/>. A failure the user can act on (a bad file, Keycloak's refusal or absence, the database,
    /// a setting, a refused rollout) becomes one error line, and <c>{"error": ...}</c> with <paramref name="json"/>,
    /// never a stack trace.
    /// </summary>
    public async Task<int> RunWithStoreAsync(
        CliContext context, ParseResult parseResult, bool json, Func<ServiceProvider, Task<int>> run, Action<KeycloakOptions>? configureKeycloak = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            using var provider = BuildServices(parseResult, context, configureKeycloak);
            await CliVerbose.DescribeStoreAsync(parseResult, provider, context.Error).ConfigureAwait(false);
            await provider.GetRequiredService<IStoreDatabase>().MigrateAsync().ConfigureAwait(false);
            return await run(provider).ConfigureAwait(false);
        }
        catch (Exception exception) when (CliFailure.IsReportable(exception))
        {
            return await context.FailAsync(exception, json).ConfigureAwait(false);
        }
    }
}
