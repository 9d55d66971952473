using System.Globalization;
using System.Text.Json.Nodes;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using IdpBridge.Testing.Simulator;
using Microsoft.Playwright;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>
/// The events IdpBridge reads, after the same actions on both sides: on the server people sign in, accept, decline and
/// sign up in Chromium; the simulator records the same actions through its own API. Then the queries the ledger sends
/// (type filters, <c>dateFrom</c> as a day and in milliseconds, <c>direction</c>, <c>first</c>/<c>max</c>) and a few
/// more are compared field by field.
/// </summary>
[NonParallelizable]
public sealed class EventsDifferentialTests
{
    private const string Password = "Cl4ve-de-prueba!";

    /// <summary>Ids and times are compared by shape; so are the authentication session ids events carry in their details.</summary>
    private static readonly Comparison Events = new() { ShapeOnly = { "[*].details.code_id" } };

    [Test]
    public async Task Events_AfterRealAcceptDeclineAndSignUp_SameShapesOrderFiltersAndPages()
    {
        await using var app = await DemoApp.StartAsync();
        await using var both = await BothKeycloaks.StartAsync(new JsonObject
        {
            ["registrationAllowed"] = true,
            ["registrationEmailAsUsername"] = true,
        }, new SimulatorOptions { CheckKeycloak26_0 = false });
        var config = new JsonObject
        {
            ["eventsEnabled"] = true,
            ["enabledEventTypes"] = new JsonArray("LOGIN", "REGISTER", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"),
        };
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/events/config", config)).AssertSame();
        await ArrangeAsync(both, app);
        var ana = await both.SendAsync(HttpMethod.Post, "realms/{realm}/users", Person("ana@example.org", "Ana"));
        var bruno = await both.SendAsync(HttpMethod.Post, "realms/{realm}/users", Person("bruno@example.org", "Bruno"));
        var simulated = both.Simulator.Realm(both.Realm);
        var callback = app.Callback.ToString();

        // The same three people, once in Chromium on the server and once through the simulator's API.
        await InBrowserAsync(page => SignInAsync(both, app, page, "ana@example.org", accept: true));
        simulated.AcceptTerms(ana.Simulator.CreatedId, DemoApp.ClientId, "127.0.0.1", callback, "ana@example.org");
        await InBrowserAsync(page => SignInAsync(both, app, page, "bruno@example.org", accept: false));
        simulated.DeclineTerms(bruno.Simulator.CreatedId, DemoApp.ClientId, "127.0.0.1", callback, "bruno@example.org");
        await InBrowserAsync(page => SignUpAsync(both, app, page, "eva@example.org"));
        var eva = simulated.RegisterUser("eva@example.org", "eva@example.org", "Eva", "Prueba", DemoApp.ClientId, "127.0.0.1", callback, termsCheckbox: false);
        simulated.AcceptTerms(eva, DemoApp.ClientId, "127.0.0.1", callback, "eva@example.org");

        var serverEvents = (await both.ServerAdmin.GetAsync($"realms/{both.Realm}/events"))!.AsArray();
        var simulatorEvents = (await both.SimulatorAdmin.GetAsync($"realms/{both.Realm}/events"))!.AsArray();
        var (serverDecline, simulatorDecline) = (TimeOf(serverEvents, "CUSTOM_REQUIRED_ACTION_ERROR"), TimeOf(simulatorEvents, "CUSTOM_REQUIRED_ACTION_ERROR"));
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var decisions = "type=CUSTOM_REQUIRED_ACTION&type=CUSTOM_REQUIRED_ACTION_ERROR&type=REGISTER";
        var queries = new (string Server, string Simulator)[]
        {
            ("events", "events"),
            ($"events?{decisions}&first=0&max=500", $"events?{decisions}&first=0&max=500"),
            ($"events?{decisions}&dateFrom={Day(today)}&first=0&max=2", $"events?{decisions}&dateFrom={Day(today)}&first=0&max=2"),
            ($"events?{decisions}&dateFrom={Day(today)}&first=2&max=2", $"events?{decisions}&dateFrom={Day(today)}&first=2&max=2"),
            ($"events?dateFrom={Day(today.AddDays(1))}", $"events?dateFrom={Day(today.AddDays(1))}"),
            ($"events?dateTo={Day(today)}&type=LOGIN", $"events?dateTo={Day(today)}&type=LOGIN"),
            ($"events?dateTo={Day(today.AddDays(-1))}", $"events?dateTo={Day(today.AddDays(-1))}"),
            ($"events?{decisions}&dateFrom={serverDecline}&direction=asc&first=0&max=500", $"events?{decisions}&dateFrom={simulatorDecline}&direction=asc&first=0&max=500"),
            ($"events?dateFrom={serverDecline + 1}&direction=asc", $"events?dateFrom={simulatorDecline + 1}&direction=asc"),
            ($"events?dateTo={serverDecline}&direction=desc", $"events?dateTo={simulatorDecline}&direction=desc"),
            ("events?direction=asc&first=1&max=3", "events?direction=asc&first=1&max=3"),
            ($"events?user={ana.Server.CreatedId}", $"events?user={ana.Simulator.CreatedId}"),
            ($"events?client={DemoApp.ClientId}&type=LOGIN&max=1", $"events?client={DemoApp.ClientId}&type=LOGIN&max=1"),
        };

        var answers = new List<AnswerPair>();
        foreach (var (server, simulator) in queries)
        {
            answers.Add(new AnswerPair(
                $"GET /admin/realms/{{realm}}/{server}",
                await both.ServerAdmin.SendAsync(HttpMethod.Get, $"realms/{both.Realm}/{server}", ensureSuccess: false),
                await both.SimulatorAdmin.SendAsync(HttpMethod.Get, $"realms/{both.Realm}/{simulator}", ensureSuccess: false)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(serverEvents.Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[]
            {
                "LOGIN", "CUSTOM_REQUIRED_ACTION", "REGISTER", "CUSTOM_REQUIRED_ACTION_ERROR", "LOGIN", "CUSTOM_REQUIRED_ACTION",
            }), "what the server stored, newest first");
            foreach (var pair in answers)
            {
                pair.AssertSame(Events);
            }
        });
    }

    /// <summary>The terms step enabled and a default action, and the demo application's client, on both.</summary>
    private static async Task ArrangeAsync(BothKeycloaks both, DemoApp app)
    {
        var terms = (await both.ServerAdmin.GetAsync($"realms/{both.Realm}/authentication/required-actions/TERMS_AND_CONDITIONS"))!.AsObject();
        terms["enabled"] = true;
        terms["defaultAction"] = true;
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS", terms)).AssertSame();
        var client = await both.SendAsync(HttpMethod.Post, "realms/{realm}/clients", new JsonObject
        {
            ["clientId"] = DemoApp.ClientId,
            ["enabled"] = true,
            ["publicClient"] = true,
            ["standardFlowEnabled"] = true,
            ["directAccessGrantsEnabled"] = false,
            ["redirectUris"] = new JsonArray(JsonValue.Create(app.Url + "*")),
            ["attributes"] = new JsonObject { ["pkce.code.challenge.method"] = "S256" },
        });
        Assert.That((int)client.Server.Status, Is.EqualTo(201), client.Server.Text);
    }

    private static JsonObject Person(string email, string firstName) =>
        People.Representation(email, firstName, "Prueba", Password, "TERMS_AND_CONDITIONS");

    private static async Task InBrowserAsync(Func<IPage, Task> act)
    {
        await using var browser = await BrowserSession.StartAsync();
        await act(browser.Page);
    }

    private static async Task SignInAsync(BothKeycloaks both, DemoApp app, IPage page, string email, bool accept)
    {
        await KeycloakForms.SignInToTermsStepAsync(page, app.SignInUrl(await ServerUrlAsync(), both.Realm), email, Password);
        await (accept ? KeycloakForms.AcceptTermsAsync(page) : KeycloakForms.DeclineTermsAsync(page));
    }

    private static async Task SignUpAsync(BothKeycloaks both, DemoApp app, IPage page, string email)
    {
        await page.GotoAsync(app.SignInUrl(await ServerUrlAsync(), both.Realm, "registrations").ToString());
        await KeycloakForms.SubmitRegistrationAsync(page, email, "Eva", "Prueba", Password);
        await KeycloakForms.WaitForTermsStepAsync(page);
        await KeycloakForms.AcceptTermsAsync(page);
    }

    private static async Task<Uri> ServerUrlAsync() => (await RealKeycloak.SharedAsync()).BaseUrl;

    private static long TimeOf(JsonArray events, string type) =>
        events.First(e => e!["type"]!.GetValue<string>() == type)!["time"]!.GetValue<long>();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
