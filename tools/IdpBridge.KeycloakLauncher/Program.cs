using System.CommandLine;
using System.Globalization;
using IdpBridge.KeycloakLauncher;

// idpbridge-keycloak run: one real Keycloak on loopback for scripts (the try-it path, benchmarks), until Ctrl+C or SIGTERM.
// idpbridge-keycloak unpack: the unpacked distribution's folder, for the extension's build.
var zip = new Option<FileInfo?>("--zip")
{
    Description = $"the Keycloak server distribution zip (default: ${KeycloakDistribution.ZipVariable}); {KeycloakDistribution.DownloadHint}",
};
var themes = new Option<DirectoryInfo[]>("--theme")
{
    Description = "a theme folder to install, e.g. keycloak-theme/idpbridge (repeatable)",
    AllowMultipleArgumentsPerToken = false,
};
var providers = new Option<FileInfo[]>("--provider") { Description = "a provider jar to install (repeatable)" };
var httpPort = new Option<int>("--http-port") { Description = "HTTP port on 127.0.0.1 (default: a free one)" };
var managementPort = new Option<int>("--management-port") { Description = "health port on 127.0.0.1 (default: a free one)" };
var envFile = new Option<FileInfo?>("--env-file")
{
    Description = "once ready, write KEYCLOAK_URL, KEYCLOAK_ADMIN_CLIENT_ID and its secret, and the admin user, to this file " +
                  "(mode 0600, shell syntax); the secrets are printed nowhere else",
};
var serverArguments = new Argument<string[]>("kc-options")
{
    Description = "more kc.sh start-dev options, after --",
    Arity = ArgumentArity.ZeroOrMore,
};

var run = new Command("run", """
    Starts the real Keycloak server (kc.sh start-dev, embedded H2 database) on 127.0.0.1 with a home of its own in the
    temporary folder, a bootstrap admin client and admin user with random secrets, and the given themes and providers.
    Waits until it is ready, prints its URL, and runs until Ctrl+C or SIGTERM; then stops it and deletes its home.
    The distribution is unpacked once into a cache (IDPBRIDGE_KEYCLOAK_CACHE, default ~/.cache/idpbridge/keycloak).
    Needs Java 17 or newer (JAVA_HOME or java on the PATH).

    Example:
      idpbridge-keycloak run --zip keycloak-26.7.3.zip --theme keycloak-theme/idpbridge --env-file kc.env
    """)
{
    zip, themes, providers, httpPort, managementPort, envFile, serverArguments,
};
run.SetAction(async (parseResult, cancellationToken) =>
{
    var options = new KeycloakServerOptions
    {
        HttpPort = parseResult.GetValue(httpPort),
        ManagementPort = parseResult.GetValue(managementPort),
        Log = message => Console.Out.WriteLine(message),
    };
    foreach (var theme in parseResult.GetValue(themes) ?? [])
    {
        options.Themes.Add(theme.FullName);
    }

    foreach (var provider in parseResult.GetValue(providers) ?? [])
    {
        options.Providers.Add(provider.FullName);
    }

    foreach (var argument in parseResult.GetValue(serverArguments) ?? [])
    {
        options.Arguments.Add(argument);
    }

    KeycloakServer server;
    try
    {
        var distribution = await KeycloakDistribution.OpenAsync(parseResult.GetValue(zip)?.FullName, cancellationToken);
        server = await KeycloakServer.StartAsync(distribution, options, cancellationToken);
    }
    catch (KeycloakLaunchException exception)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        return 130;
    }

    await using (server)
    {
        if (parseResult.GetValue(envFile) is { } file)
        {
            WriteEnvFile(file.FullName, server);
            Console.Out.WriteLine($"Connection settings written to {file.FullName}.");
        }

        Console.Out.WriteLine($"Admin API: {server.BaseUrl}admin/realms (client '{server.AdminClientId}' in realm master). Ctrl+C stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.Out.WriteLine("Stopping Keycloak.");
        }
    }

    return 0;
});

var unpackZip = new Option<FileInfo?>("--zip")
{
    Description = $"the Keycloak server distribution zip (default: ${KeycloakDistribution.ZipVariable}); {KeycloakDistribution.DownloadHint}",
};
var unpack = new Command("unpack", """
    Unpacks the distribution into the cache (at once when it already is) and prints the unpacked folder (the one holding
    bin/kc.sh) on one line: scripts/build-extension.sh compiles the Keycloak extension against its lib/lib/main jars.
    """)
{
    unpackZip,
};
unpack.SetAction(async (parseResult, cancellationToken) =>
{
    try
    {
        var distribution = await KeycloakDistribution.OpenAsync(parseResult.GetValue(unpackZip)?.FullName, cancellationToken);
        Console.Out.WriteLine(distribution.Root);
        return 0;
    }
    catch (KeycloakLaunchException exception)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 1;
    }
});

var root = new RootCommand("Starts the real Keycloak server distribution on loopback, for IdpBridge's try-it path and benchmarks.") { run, unpack };
// Keycloak takes a few seconds to stop: give the action time after Ctrl+C or SIGTERM before the process is ended.
return await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });

static void WriteEnvFile(string path, KeycloakServer server)
{
    var lines = new[]
    {
        $"KEYCLOAK_URL={server.BaseUrl.ToString().TrimEnd('/')}",
        $"KEYCLOAK_MANAGEMENT_URL={server.ManagementUrl.ToString().TrimEnd('/')}",
        $"KEYCLOAK_VERSION={server.Version}",
        $"KEYCLOAK_PID={server.ProcessId?.ToString(CultureInfo.InvariantCulture)}",
        $"KEYCLOAK_ADMIN_CLIENT_ID={server.AdminClientId}",
        $"KEYCLOAK_ADMIN_CLIENT_SECRET={server.AdminClientSecret}",
        $"KEYCLOAK_ADMIN_USERNAME={server.AdminUsername}",
        $"KEYCLOAK_ADMIN_PASSWORD={server.AdminPassword}",
    };
    var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
    if (!OperatingSystem.IsWindows())
    {
        fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }

    using var stream = new FileStream(path, fileOptions);
    using var writer = new StreamWriter(stream);
    foreach (var line in lines)
    {
        writer.WriteLine(line);
    }
}
