using System.Globalization;
using System.Text.Json;
using Tuned;

// Tuned <keycloak-url> <client-id> <secret> <realm> <command> [arguments]
//   mark getput|put|getput-sweep <concurrencies, e.g. 1,2,4> <users per level> [first]
//                          one line per level (see Marker.Line); each level marks the next slice of users
//                          (getput-sweep: GET+PUT, then the slice's pages read again, as IdpBridge's closing sweep)
//   seed <users>           partial import of the benchmark's users (Population)
//   reset <concurrency>    takes TERMS_AND_CONDITIONS off everyone; prints how many
//   list <users>           "<id> <required actions as JSON>" of the first users, in Keycloak's order
//   token-lifespan <s>     sets realm master's access token lifespan (the scripts hold one token for minutes)
if (args.Length < 6)
{
    await Console.Error.WriteLineAsync("usage: Tuned <keycloak-url> <client-id> <secret> <realm> mark|seed|reset|list|token-lifespan <arguments>");
    return 64;
}

var (url, clientId, secret, realm, command) = (args[0], args[1], args[2], args[3], args[4]);
using var session = await AdminSession.OpenAsync(url, clientId, secret);
switch (command)
{
    case "mark":
        var mode = args[5];
        var readFirst = mode.StartsWith("getput", StringComparison.Ordinal);
        var first = args.Length > 8 ? Number(args[8]) : 0;
        var users = Number(args[7]);
        foreach (var concurrency in args[6].Split(',').Select(Number))
        {
            var marker = new Marker(session, realm, readFirst, sweep: mode == "getput-sweep");
            var (cpu, server) = (CpuClock.Own(), CpuClock.Server());
            var seconds = await marker.MarkAsync(first, users, concurrency);
            Console.WriteLine(Marker.Line(mode, concurrency, users, seconds, marker.Requests, CpuClock.Own() - cpu, CpuClock.Server() - server));
            first += users;
        }

        break;
    case "seed":
        await Population.ImportAsync(session, realm, Number(args[5]));
        break;
    case "reset":
        Console.WriteLine(await Reset.RunAsync(session, realm, Number(args[5])));
        break;
    case "list":
        foreach (var user in await UserActions.PageAsync(session, realm, 0, Number(args[5])))
        {
            Console.WriteLine($"{user.Id} {JsonSerializer.Serialize(user.Actions)}");
        }

        break;
    case "token-lifespan":
        using (await session.SendAsync(
            HttpMethod.Put, "master", new StringContent($"{{\"accessTokenLifespan\":{Number(args[5])}}}", System.Text.Encoding.UTF8, "application/json")))
        {
        }

        break;
    default:
        await Console.Error.WriteLineAsync($"unknown command {command}");
        return 64;
}

return 0;

static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
