using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Startup;

/// <summary>
/// Starts the service, or says in one line per problem why it cannot: every setting is checked (options, the addresses
/// to listen on and whether they are free) before anything runs, so a wrong setting never becomes a stack trace, a
/// half-started host whose workers call Keycloak, or a hang while they stop.
/// </summary>
internal static class ServiceStartup
{
    /// <summary>The exit code of a start-up failure: sysexits' EX_CONFIG (a setting is wrong or the environment refuses it).</summary>
    public const int ConfigurationError = 78;

    /// <summary>Runs the service until it is stopped; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        WebApplication app;
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            var addresses = ListenAddresses.Read(builder.Configuration);
            app = builder.AddIdpBridgeService().Build();
            // What ValidateOnStart would check inside StartAsync, where a failure is logged with its stack trace after
            // the workers have already started: every options class, bound and validated now.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            addresses.CheckFree();
            app.MapIdpBridge();
        }
        catch (Exception exception) when (StartupFailure.Messages(exception) is { Count: > 0 } messages)
        {
            foreach (var message in messages)
            {
                await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("The IdpBridge service did not start (see the README's configuration reference).").ConfigureAwait(false);
            return ConfigurationError;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
