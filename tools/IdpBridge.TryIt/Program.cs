using System.CommandLine;
using IdpBridge.KeycloakLauncher;
using IdpBridge.TryIt;

// idpbridge-try-it: the whole demo on this machine without Docker (scripts/try-it.sh runs it).
var zip = new Option<FileInfo?>("--zip")
{
    Description = $"the Keycloak server distribution zip (default: ${KeycloakDistribution.ZipVariable}); {KeycloakDistribution.DownloadHint}",
};
var keycloakPort = PortOption("--keycloak-port", 8080, "Keycloak's HTTP port on 127.0.0.1");
var servicePort = PortOption("--service-port", 8081, "the IdpBridge service's port");
var mailPort = PortOption("--mail-port", 8025, "the mail catcher's web page");
var smtpPort = PortOption("--smtp-port", 1025, "the mail catcher's SMTP port (the realm sends its mail there)");
var stateDir = new Option<DirectoryInfo?>("--state-dir")
{
    Description = $"where the store, the service's log and the run's pids live (default: ${TryItSettings.StateVariable}, else ~/.local/state/idpbridge/try-it)",
};

var start = new Command("start", """
    Starts the demo and runs until Ctrl+C or SIGTERM: the real Keycloak (the project's launcher) with the idpbridge login
    theme and the bridge's jar, the realm externos provisioned from realm-config/ with `idpbridge realm apply`, policy v1
    published, a demo admin and a demo user created through the Admin API, a mail catcher, and the IdpBridge service.
    Prints the addresses and the generated passwords (shown only there). Needs Java 17 and the Keycloak zip.
    """)
{
    zip, keycloakPort, servicePort, mailPort, smtpPort, stateDir,
};
start.SetAction(async (parseResult, cancellationToken) =>
{
    var settings = new TryItSettings
    {
        Zip = parseResult.GetValue(zip)?.FullName,
        KeycloakPort = parseResult.GetValue(keycloakPort),
        ServicePort = parseResult.GetValue(servicePort),
        MailPort = parseResult.GetValue(mailPort),
        SmtpPort = parseResult.GetValue(smtpPort),
        StateFolder = parseResult.GetValue(stateDir)?.FullName ?? TryItSettings.DefaultStateFolder(),
    };
    TryItStack stack;
    try
    {
        stack = await TryItStack.StartAsync(settings, message => Console.Out.WriteLine(message), cancellationToken);
    }
    catch (Exception exception) when (exception is TryItException or KeycloakLaunchException or IOException)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        await Console.Error.WriteLineAsync("Stopped before the demo was ready; everything it had started is stopped.");
        return 130;
    }

    await using (stack)
    {
        Console.Out.WriteLine(Banner.For(stack, settings));
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.Out.WriteLine("Stopping the IdpBridge service, Keycloak and the mail catcher...");
        }
    }

    Console.Out.WriteLine("Stopped.");
    return 0;
});

var stopStateDir = new Option<DirectoryInfo?>("--state-dir") { Description = "the state folder of the run to stop (as given to start)" };
var stop = new Command("stop", "Stops the run of this state folder (everything it started, by pid), and waits until it has.")
{
    stopStateDir,
};
stop.SetAction(async (parseResult, cancellationToken) =>
{
    var folder = parseResult.GetValue(stopStateDir)?.FullName ?? TryItSettings.DefaultStateFolder();
    try
    {
        Console.Out.WriteLine(await RunStopper.StopAsync(folder, cancellationToken));
        return 0;
    }
    catch (TryItException exception)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 1;
    }
});

var root = new RootCommand("The IdpBridge demo on this machine, without Docker: scripts/try-it.sh [start|stop].") { start, stop, PeopleCommand.Create() };
// Keycloak takes a few seconds to stop, the service too: give the action time after Ctrl+C or SIGTERM.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });

static Option<int> PortOption(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = $"{description} (default {defaultValue})", DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() is < 1 or > 65535)
        {
            result.AddError($"{name} must be a port number from 1 to 65535.");
        }
    });
    return option;
}
