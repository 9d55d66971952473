using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>A realm's event settings, and the answers to event queries the server refuses, on the server and the simulator.</summary>
public sealed class EventsConfigDifferentialTests
{
    /// <summary>Keycloak keeps event types and listeners as sets (its own order, not the order sent): compared as sets.</summary>
    private static readonly Comparison Config = new() { Sets = { "enabledEventTypes", "eventsListeners" } };

    [Test]
    public async Task EventsConfig_NewRealmThenPuts_SameSettingsReadBack()
    {
        await using var both = await BothKeycloaks.StartAsync();
        const string path = "realms/{realm}/events/config";

        (await both.SendAsync(HttpMethod.Get, path)).AssertSame(Config);
        await PutThenGetAsync(both, new JsonObject
        {
            ["eventsEnabled"] = true,
            ["eventsExpiration"] = 3600,
            ["enabledEventTypes"] = new JsonArray("LOGIN", "CUSTOM_REQUIRED_ACTION", "REGISTER"),
        });
        await PutThenGetAsync(both, new JsonObject { ["eventsEnabled"] = true });
        await PutThenGetAsync(both, new JsonObject { ["eventsEnabled"] = true, ["enabledEventTypes"] = new JsonArray() });
        await PutThenGetAsync(both, new JsonObject { ["eventsListeners"] = new JsonArray("jboss-logging", "email"), ["adminEventsEnabled"] = true });
        await PutThenGetAsync(both, new JsonObject { ["eventsListeners"] = new JsonArray("no-such-listener") });
    }

    [TestCase("dateFrom=yesterday")]
    [TestCase("dateFrom=2026-13-45")]
    [TestCase("dateFrom=2026-12-01T00:00:00Z")]
    [TestCase("dateFrom=-5")]
    [TestCase("dateTo=garbage")]
    [TestCase("direction=ASC")]
    [TestCase("direction=sideways")]
    [TestCase("type=NO_SUCH_TYPE")]
    [TestCase("type=login")]
    public async Task Events_QueryTheServerRefuses_SameStatusAndError(string query)
    {
        await using var both = await BothKeycloaks.StartAsync(
            options: new SimulatorOptions { CheckKeycloak26_0 = false, InstalledRequiredActionProviders = BothKeycloaks.RealServerProviders });

        (await both.SendAsync(HttpMethod.Get, $"realms/{{realm}}/events?{query}")).AssertSame();
    }

    private static async Task PutThenGetAsync(BothKeycloaks both, JsonObject config)
    {
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/events/config", config)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/events/config")).AssertSame(Config);
    }
}
