using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Browser;

/// <summary>
/// What a person does on Keycloak's own pages (the login theme's forms), the one way every browser test here fills
/// them: sign in, reach the terms step, accept or decline it, fill the registration form.
/// </summary>
internal static partial class KeycloakForms
{
    /// <summary>Fills Keycloak's login form (username or email, password) on the page shown and submits it.</summary>
    public static async Task SubmitLoginAsync(IPage page, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.Locator("#kc-form-login [type=submit]").ClickAsync();
    }

    /// <summary>
    /// Opens <paramref name="signInUrl"/> (an application's authorization request), signs in and waits for the terms
    /// step (<c>execution=TERMS_AND_CONDITIONS</c>).
    /// </summary>
    public static async Task SignInToTermsStepAsync(IPage page, Uri signInUrl, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(signInUrl);
        await page.GotoAsync(signInUrl.ToString());
        await SubmitLoginAsync(page, username, password);
        await WaitForTermsStepAsync(page);
    }

    /// <summary>Waits until Keycloak shows the terms step (<c>execution=TERMS_AND_CONDITIONS</c>).</summary>
    public static async Task WaitForTermsStepAsync(IPage page) => await Expect(page).ToHaveURLAsync(TermsStep());

    /// <summary>
    /// Accepts the terms step shown and waits until Keycloak has handed the browser back to the application with a
    /// code, or, when <paramref name="nextRequiredAction"/> is given, until Keycloak shows that required action.
    /// </summary>
    public static async Task AcceptTermsAsync(IPage page, string? nextRequiredAction = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ClickAsync("#kc-accept");
        if (nextRequiredAction is null)
        {
            await Expect(page.Locator("#code")).ToBeVisibleAsync();
        }
        else
        {
            await Expect(page).ToHaveURLAsync(new Regex("execution=" + Regex.Escape(nextRequiredAction)));
        }
    }

    /// <summary>Declines the terms step shown and waits until the application got Keycloak's error.</summary>
    public static async Task DeclineTermsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Expect(page.Locator("#kc-decline")).ToBeVisibleAsync();
        await page.ClickAsync("#kc-decline");
        await Expect(page.Locator("#error")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Fills the registration form shown (email, first name, last name; the password too when the form asks for it,
    /// that is when the realm does not verify emails) and submits it.
    /// </summary>
    public static async Task SubmitRegistrationAsync(IPage page, string email, string firstName, string lastName, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.Locator("#kc-register-form");
        await page.FillAsync("#email", email);
        if (await page.Locator("#username").CountAsync() > 0)
        {
            await page.FillAsync("#username", email);
        }

        await page.FillAsync("#firstName", firstName);
        await page.FillAsync("#lastName", lastName);
        if (password is not null)
        {
            await page.FillAsync("#password", password);
            await page.FillAsync("#password-confirm", password);
        }

        await form.Locator("[type=submit]").ClickAsync();
    }

    [GeneratedRegex("execution=TERMS_AND_CONDITIONS")]
    private static partial Regex TermsStep();
}
