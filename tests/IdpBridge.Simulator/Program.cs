using System.Globalization;
using IdpBridge.Testing.Simulator;

const string Help = """
    IdpBridge Keycloak simulator: a stateful Keycloak 26 Admin API on WireMock.Net, for people, benchmarks and scripts.

    Usage: dotnet run --project tests/IdpBridge.Simulator -- [options]

      --port N            TCP port (default 8089; 0 = a free port)
      --users N           generated users user000001... in the realm (default 0; ignored with --realm-export)
      --realm NAME        realm to create (default externos)
      --realm-export FILE load a Keycloak realm export (one realm or an array) instead of creating --realm
      --latency-ms N      latency added to every request, milliseconds (default 0)
      --max-in-flight N   at most N requests processed at once, the rest queue (default: no cap)
      --max-queued N      beyond max-in-flight + N waiting, answer 503 (default: unbounded)
      --prefix /auth      serve every route under this prefix (legacy Keycloak < 17 layout)
      --request-log N     keep the last N requests for GET /__admin/requests (default 10000; bodies included)
      --contract on|off   check every request and response against Keycloak's OpenAPI (default on; off for
                          benchmarks, where the check's CPU would be counted as Keycloak's time)
      --help              this text

    WireMock's admin interface is on: GET /__admin/requests lists the request log. SIGHUP prints the number of
    requests served so far by method ("Requests served: GET=.. PUT=.."); so does the exit. Stop with Ctrl+C.
    """;

int? port = 8089, users = 0, latency = 0, maxInFlight = null, maxQueued = null;
string realmName = "externos";
string? export = null, prefix = "";
var checkContract = true;
var requestLog = 10_000;
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    if (arg is "--help" or "-h")
    {
        Console.WriteLine(Help);
        return 0;
    }

    if (i + 1 >= args.Length)
    {
        return Fail($"option {arg} needs a value (or it is unknown).");
    }

    var value = args[++i];
    switch (arg)
    {
        case "--port": port = Number(value); break;
        case "--users": users = Number(value); break;
        case "--latency-ms": latency = Number(value); break;
        case "--max-in-flight": maxInFlight = Number(value); break;
        case "--max-queued": maxQueued = Number(value); break;
        case "--realm": realmName = value; break;
        case "--realm-export": export = value; break;
        case "--prefix": prefix = value; break;
        case "--request-log": requestLog = Number(value) ?? -1; break;
        case "--contract" when value is "on" or "off": checkContract = value == "on"; break;
        case "--contract": return Fail($"--contract takes on or off, got '{value}'.");
        default: return Fail($"unknown option {arg}.");
    }

    if (arg is "--port" or "--users" or "--latency-ms" or "--max-in-flight" or "--max-queued" or "--request-log" && (value.Length == 0 || Number(value) is null))
    {
        return Fail($"{arg} needs a non-negative whole number, got '{value}'.");
    }
}

if (export is not null && !File.Exists(export))
{
    return Fail($"--realm-export: no file '{export}'.");
}

if (prefix is not ("" or "/auth" or "auth" or "/auth/"))
{
    return Fail($"--prefix must be /auth (or empty), got '{prefix}'.");
}

using var sim = KeycloakSimulator.Start(new SimulatorOptions
{
    Port = port ?? 8089,
    PathPrefix = prefix,
    EnableAdminInterface = true,
    CheckContract = checkContract,
    MaxRequestLogCount = requestLog,
});
sim.Faults.Latency = TimeSpan.FromMilliseconds(latency ?? 0);
sim.Faults.MaxInFlight = maxInFlight;
sim.Faults.MaxQueued = maxQueued;
if (export is not null)
{
    SimulatorSeeding.LoadRealmExport(sim, export);
}
else
{
    sim.CreateRealm(realmName).SeedUsers(users ?? 0);
}

Console.WriteLine($"Keycloak simulator listening at {sim.Url}");
Console.WriteLine($"Realms: {string.Join(", ", sim.RealmNames)}");
Console.WriteLine($"Admin client (realm master): client_id={sim.AdminClientId}");
Console.WriteLine($"Admin client secret: {sim.AdminClientSecret}  (generated for this simulator run; a test value, not a real credential)");
Console.WriteLine($"Request log: {sim.Server.Url}/__admin/requests. Ctrl+C to stop.");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
// SIGHUP prints the request counts so far (one line, for scripts) and keeps serving.
using var report = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, context =>
{
    context.Cancel = true;
    PrintRequestCounts(sim);
});
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;   // exit through the end of Main, which prints the request counts
    stop.Cancel();
});
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C or SIGTERM: dispose and exit.
}

PrintRequestCounts(sim);

return 0;

// One line for scripts (the benchmarks count requests with it).
static void PrintRequestCounts(KeycloakSimulator sim) =>
    Console.WriteLine($"Requests served: {string.Join(" ", sim.RequestCounts.Select(pair => $"{pair.Key}={pair.Value}"))}");

static int? Number(string text) =>
    int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

static int Fail(string message)
{
    Console.Error.WriteLine("error: " + message + " See --help.");
    return 2;
}
