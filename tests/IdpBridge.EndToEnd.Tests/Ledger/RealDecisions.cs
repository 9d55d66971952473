using System.Globalization;
using System.Text.Json.Nodes;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.Browser;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Ledger;

/// <summary>A person of the demo realm: the email is the username.</summary>
internal sealed record Person(string Email, string Id);

/// <summary>
/// Decisions on the terms made by people in Chromium on the real server, in a copy of the demo realm (its events keep
/// the terms events), and what Keycloak holds afterwards: policy v1 in force when Ana accepts; v2 when Bruno declines
/// and then accepts (signing in with his email in capitals), Carla declines, Dora accepts while the realm stores no events, and Eva signs up (the registration
/// form, then the terms step as the default action).
/// </summary>
internal sealed class RealDecisions : IAsyncDisposable
{
    private const string Password = "Cl4ve-de-prueba!";

    private RealDecisions(DemoStack stack) => Stack = stack;

    public DemoStack Stack { get; }

    /// <summary>What <c>policy publish --output json</c> printed for v1 and v2.</summary>
    public JsonObject V1 { get; private set; } = [];

    /// <inheritdoc cref="V1"/>
    public JsonObject V2 { get; private set; } = [];

    public Person Ana { get; private set; } = null!;

    public Person Bruno { get; private set; } = null!;

    public Person Carla { get; private set; } = null!;

    public Person Dora { get; private set; } = null!;

    public Person Eva { get; private set; } = null!;

    /// <summary>Every event the realm stored, oldest first, read from Keycloak after the last decision.</summary>
    public IReadOnlyList<JsonObject> Events { get; private set; } = [];

    /// <summary>The people in the order they acted.</summary>
    public IEnumerable<Person> People => [Ana, Bruno, Carla, Dora, Eva];

    /// <summary>Makes every decision, then reads the realm's events back.</summary>
    public static async Task<RealDecisions> MakeAsync()
    {
        var decisions = new RealDecisions(await DemoStack.StartAsync());
        try
        {
            await decisions.DecideAsync();
            return decisions;
        }
        catch
        {
            await decisions.DisposeAsync();
            throw;
        }
    }

    /// <summary>The stored events of <paramref name="person"/> of <paramref name="type"/>, oldest first.</summary>
    public IReadOnlyList<JsonObject> EventsOf(Person person, string type) =>
        Events.Where(e => e["userId"]?.GetValue<string>() == person.Id && e["type"]!.GetValue<string>() == type).ToList();

    /// <summary>The person's <c>terms_and_conditions</c> (epoch seconds) read from Keycloak now; null when there is none.</summary>
    public async Task<long?> AcceptedAtAsync(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var user = await Stack.UserAsync(person.Id);
        return user["attributes"]?["terms_and_conditions"]?[0]?.GetValue<string>() is { } seconds
            ? long.Parse(seconds, CultureInfo.InvariantCulture)
            : null;
    }

    public async ValueTask DisposeAsync() => await Stack.DisposeAsync();

    private async Task DecideAsync()
    {
        V1 = await Stack.PublishAsync("v1");
        Ana = await PersonAsync("ana");
        await SignInAsync(Ana, page => KeycloakForms.AcceptTermsAsync(page));

        V2 = await Stack.PublishAsync("v2");
        Bruno = await PersonAsync("bruno");
        await SignInAsync(Bruno, KeycloakForms.DeclineTermsAsync);
        // Keycloak's events carry the login as typed, not the username: Bruno types his in capitals.
        await SignInAsync(Bruno, page => KeycloakForms.AcceptTermsAsync(page), Bruno.Email.ToUpperInvariant());
        Carla = await PersonAsync("carla");
        await SignInAsync(Carla, KeycloakForms.DeclineTermsAsync);

        // An acceptance no event records: the realm stores no events for a moment (an administrator's choice).
        Dora = await PersonAsync("dora");
        var config = (await Stack.Admin.GetAsync(EventsConfigPath()))!.AsObject();
        var off = config.DeepClone().AsObject();
        off["eventsEnabled"] = false;
        await Stack.Admin.SendAsync(HttpMethod.Put, EventsConfigPath(), off);
        await SignInAsync(Dora, page => KeycloakForms.AcceptTermsAsync(page));
        await Stack.Admin.SendAsync(HttpMethod.Put, EventsConfigPath(), config);

        Eva = await SignUpAsync("eva");
        Events = (await Stack.Admin.GetAsync($"realms/{Uri.EscapeDataString(Stack.Name)}/events?max=1000"))!.AsArray()
            .Select(e => e!.AsObject()).Reverse().ToList();
    }

    private async Task<Person> PersonAsync(string name)
    {
        var email = Email(name);
        var id = await Stack.CreatePersonAsync(email, char.ToUpperInvariant(name[0]) + name[1..], "Prueba", Password, "TERMS_AND_CONDITIONS");
        return new Person(email, id);
    }

    private async Task SignInAsync(Person person, Func<IPage, Task> decide, string? login = null)
    {
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
        await KeycloakForms.SignInToTermsStepAsync(browser.Page, Stack.App.SignInUrl(Stack.Keycloak, Stack.Name), login ?? person.Email, Password);
        await decide(browser.Page);
        Assert.That(browser.ConsoleErrors, Is.Empty, $"{person.Email} in the browser");
    }

    /// <summary>The registration form, then the terms step; the emailed link is not followed (nothing of the ledger's).</summary>
    private async Task<Person> SignUpAsync(string name)
    {
        var email = Email(name);
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
        await browser.Page.GotoAsync(Stack.App.SignInUrl(Stack.Keycloak, Stack.Name, "registrations").ToString());
        await KeycloakForms.SubmitRegistrationAsync(browser.Page, email, "Eva", "Prueba");
        await Expect(browser.Page.Locator("#kc-terms-text")).ToContainTextAsync("Versión 2");
        await KeycloakForms.AcceptTermsAsync(browser.Page, "VERIFY_EMAIL");
        var user = (await Stack.Admin.GetAsync($"realms/{Uri.EscapeDataString(Stack.Name)}/users?email={Uri.EscapeDataString(email)}&exact=true"))!.AsArray().Single()!;
        return new Person(email, user["id"]!.GetValue<string>());
    }

    private string EventsConfigPath() => $"realms/{Uri.EscapeDataString(Stack.Name)}/events/config";

    private static string Email(string name) => $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.org";
}
