using System.Globalization;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Browser;

/// <summary>
/// The terms step on the real server after <c>idpbridge policy publish</c>: Keycloak renders the theme's page with
/// what IdpBridge published, its links reach the real service, and accept and decline do what Keycloak does.
/// </summary>
[NonParallelizable]
public sealed class TermsStepTests
{
    private const string Password = "Cl4ve-de-prueba!";

    [Test]
    public async Task TermsStep_MaterialV2InForce_ShowsVersionDateChangesAndLinksThatLoad_AcceptReachesTheApp()
    {
        await using var stack = await DemoStack.StartAsync();
        await stack.StartServiceAsync();
        await stack.PublishAsync("v1");
        var afterV1 = await TermsTextAsync(stack);
        var v2 = await stack.PublishAsync("v2");
        var email = Email("bea");
        var userId = await stack.CreatePersonAsync(email, "Bea", "Gómez", Password, "TERMS_AND_CONDITIONS");
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
        var page = browser.Page;

        await SignInAsync(stack, page, email);
        var terms = page.Locator("#kc-terms-text");
        await Expect(terms).ToBeVisibleAsync();
        var shown = await terms.InnerTextAsync();
        await browser.KeepScreenshotAsync("e2e-terms-v2", "The terms step of the real Keycloak after policy v2 was published");
        var fromText = await page.RunAndWaitForPopupAsync(() => terms.Locator("a").ClickAsync());
        await Expect(fromText.Locator("h1")).ToHaveTextAsync("Política de privacidad");
        var version = await fromText.Locator(".meta").InnerTextAsync();
        var fromTheme = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#idpbridge-full-policy-link"));
        await Expect(fromTheme.Locator("h1")).ToHaveTextAsync("Política de privacidad");
        var started = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        await KeycloakForms.AcceptTermsAsync(page);

        var user = await stack.UserAsync(userId);
        var accepted = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", userId);
        var effective = DateTimeOffset.Parse(v2["effectiveAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var proxied = RealKeycloak.PublicPages.Requests.Where(r => r.Path.StartsWith($"/policies/{stack.Name}/", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(afterV1, Does.Contain("Versión 1"), "version 1 reached the realm's termsText");
            Assert.That(shown, Does.Contain("Versión 2"));
            Assert.That(shown, Does.Contain($"vigente desde el {effective.UtcDateTime.ToString("d 'de' MMMM 'de' yyyy", CultureInfo.GetCultureInfo("es"))}"));
            Assert.That(shown, Does.Contain("Qué cambió:").And.Contain("Se informa qué datos reciben las aplicaciones"));
            Assert.That(fromText.Url, Does.StartWith($"{RealKeycloak.PublicPages.Url}policies/{stack.Name}/privacy/v/2?lang=es"));
            Assert.That(version, Does.StartWith("Versión 2"), "the permalink of the version shown");
            Assert.That(fromTheme.Url, Is.EqualTo($"{RealKeycloak.PublicPages.Url}policies/{stack.Name}/privacy?lang=es"));
            Assert.That(proxied, Has.Count.GreaterThanOrEqualTo(2), "both pages went through the public address");
            Assert.That(proxied.Select(r => r.Status), Has.All.EqualTo(200), string.Join("; ", proxied));

            Assert.That(stack.App.Callbacks.Single().ContainsKey("code"), Is.True, "accepting reaches the application");
            Assert.That(user["requiredActions"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Not.Contain("TERMS_AND_CONDITIONS"));
            var at = long.Parse(user["attributes"]!["terms_and_conditions"]![0]!.GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.That(at, Is.InRange(started - 5, started + 120), "terms_and_conditions: the acceptance time in seconds");
            Assert.That(accepted.Select(e => e["details"]?["custom_required_action"]?.GetValue<string>()), Has.Member("TERMS_AND_CONDITIONS"));

            Assert.That(browser.RequestsLeavingMachine, Is.Empty);
            Assert.That(browser.ConsoleErrors, Is.Empty);
        });
    }

    [Test]
    public async Task TermsStep_Declined_AppGetsAccessDeniedTheActionStaysAndTheEventSaysRejectedByUser()
    {
        await using var stack = await DemoStack.StartAsync();
        await stack.PublishAsync("v1");
        var email = Email("carla");
        var userId = await stack.CreatePersonAsync(email, "Carla", "Díaz", Password, "TERMS_AND_CONDITIONS");
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
        var page = browser.Page;

        await SignInAsync(stack, page, email);
        await KeycloakForms.DeclineTermsAsync(page);

        var callback = stack.App.Callbacks.Single();
        var user = await stack.UserAsync(userId);
        var declined = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION_ERROR", userId);
        Assert.Multiple(() =>
        {
            Assert.That(callback["error"], Is.EqualTo("access_denied"));
            Assert.That(callback.GetValueOrDefault("error_description"), Is.EqualTo("termsAndConditionsDeclined"));
            Assert.That(callback.ContainsKey("code"), Is.False);
            Assert.That(user["requiredActions"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("TERMS_AND_CONDITIONS"), "asked again at the next sign-in");
            Assert.That((user["attributes"] as JsonObject)?.ContainsKey("terms_and_conditions") ?? false, Is.False, "no acceptance time");
            Assert.That(declined, Has.Count.EqualTo(1));
            Assert.That(declined[0]["error"]!.GetValue<string>(), Is.EqualTo("rejected_by_user"));
            Assert.That(declined[0]["details"]!["custom_required_action"]!.GetValue<string>(), Is.EqualTo("TERMS_AND_CONDITIONS"));
            Assert.That(browser.RequestsLeavingMachine, Is.Empty);
            Assert.That(browser.ConsoleErrors, Is.Empty);
        });
    }

    private static string Email(string name) => $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.org";

    private static Task SignInAsync(DemoStack stack, IPage page, string email) =>
        KeycloakForms.SignInToTermsStepAsync(page, stack.App.SignInUrl(stack.Keycloak, stack.Name), email, Password);

    private static async Task<string> TermsTextAsync(DemoStack stack) =>
        (await stack.Admin.SendAsync(HttpMethod.Get, $"realms/{stack.Name}/localization/es/termsText")).Text;
}
