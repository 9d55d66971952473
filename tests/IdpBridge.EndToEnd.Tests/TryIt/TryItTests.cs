using System.Text.RegularExpressions;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.TryIt;

/// <summary>
/// The README's "Try it" without Docker, followed step by step: <c>scripts/try-it.sh</c> against the real Keycloak
/// distribution, the demo user's sign-in and terms step, a registration finished through the mail catcher's page,
/// policy v2 published and asked again, the record exported, the admin page opened by the demo admin; then
/// <c>scripts/try-it.sh stop</c> stops everything it started. The terms step is found by its page (the theme's
/// <c>terms.ftl</c>), not by the required action's alias, so the walk-through holds in Admin API and bridge mode alike.
/// </summary>
[NonParallelizable]
public sealed partial class TryItTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(8);

    [Test]
    public async Task TryIt_TheReadmeWalkThrough_WorksToTheEnd_AndStopLeavesNothingRunning()
    {
        await using var run = TryItRun.Create();
        await run.StartAsync(Ready);
        var user = run.Credentials("Demo user");
        var admin = run.Credentials("Demo admin");
        var state = run.State();
        var keycloakPid = state["KeycloakPid"]!.GetValue<int>();
        var servicePid = state["ServicePid"]!.GetValue<int>();
        var second = await run.Script(run.StartArguments()).RunAsync();

        // 1. The demo user signs in and meets the terms step of policy v1.
        await using (var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" }))
        {
            await SignInAtAccountConsoleAsync(browser.Page, run, user);
            await Expect(browser.Page.Locator("#kc-terms-text")).ToContainTextAsync("Versión 1");
            await browser.KeepScreenshotAsync("e2e-try-it-terms-v1", "try-it: the demo user's terms step (policy v1)");
            await browser.Page.ClickAsync("#kc-accept");
            await Expect(browser.Page.Locator("#firstName")).ToHaveValueAsync("Ulises");
        }

        // 2. Someone registers; the verification mail is on the mail catcher's page.
        var registrant = $"ana.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        await using (var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" }))
        {
            var page = browser.Page;
            await page.GotoAsync($"{run.Keycloak}realms/externos/account");
            await page.Locator("#kc-registration a").ClickAsync();
            await KeycloakForms.SubmitRegistrationAsync(page, registrant, "Ana", "Pérez");
            await Expect(page.Locator("#kc-terms-text")).ToContainTextAsync("Versión 1");
            await KeycloakForms.AcceptTermsAsync(page, "VERIFY_EMAIL");
            await page.GotoAsync(run.Mail.ToString());
            await page.Locator("table a").First.ClickAsync();
            await browser.KeepScreenshotAsync("e2e-try-it-mail", "try-it: the verification mail on the mail catcher's page");
            await page.Locator("ul.links a[href*='/login-actions/action-token']").ClickAsync();
            await page.FillAsync("#password-new", "Un4-clave-larga!");
            await page.FillAsync("#password-confirm", "Un4-clave-larga!");
            await page.ClickAsync("#kc-submit");
            await Expect(page.Locator("#firstName")).ToHaveValueAsync("Ana");
        }

        // 3. Policy v2: the demo user is asked again at the next sign-in.
        var v2 = Path.Combine("realm-config", "externos", "policies", "privacy", "v2");
        var publish = await run.IdpBridgeAsync("policy", "publish", Path.Combine(v2, "es.md"), Path.Combine(v2, "en.md"), "--realm", "externos");
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.ToString());
        var askedAgain = await UntilTermsStepAsync(run, user, "Versión 2");

        // 4. The record, exported.
        var sync = await run.IdpBridgeAsync("ledger", "sync", "--realm", "externos");
        var export = await run.IdpBridgeAsync("ledger", "export", "--realm", "externos", "--format", "csv");

        // 5. The admin page, signed in as the demo admin.
        string adminPage;
        await using (var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" }))
        {
            var page = browser.Page;
            await page.GotoAsync($"{run.Service}admin/realms/externos/ledger");
            await KeycloakForms.SubmitLoginAsync(page, admin.Username, admin.Password);
            await Expect(page.Locator("#kc-terms-text")).ToContainTextAsync("Versión 2");
            await page.ClickAsync("#kc-accept");
            await Expect(page.Locator("h1")).ToContainTextAsync("Acceptance record of realm externos");
            adminPage = await page.Locator("body").InnerTextAsync();
            await browser.KeepScreenshotAsync("e2e-try-it-admin-page", "try-it: the admin page, signed in as the demo admin");
            Assert.That(browser.RequestsLeavingMachine, Is.Empty);
        }

        // 6. Stop: everything it started, by pid.
        var stop = await run.StopAsync();
        var ended = await run.Process.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Multiple(() =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
            Assert.That(second.Error, Does.Contain($"try-it is already running (pid {run.Process.Id}").And.Contain("scripts/try-it.sh stop"));
            Assert.That(askedAgain, Does.Contain("Versión 2"));
            Assert.That(sync.ExitCode, Is.EqualTo(0), sync.ToString());
            Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
            Assert.That(AcceptedLines(export.Output, user.Username), Has.Count.EqualTo(2), $"the demo user accepted v1 and v2:\n{export.Output}");
            Assert.That(AcceptedLines(export.Output, registrant), Has.Count.EqualTo(1), "the registrant accepted v1");
            Assert.That(adminPage, Does.Contain("privacy version 2 (in force)").And.Contain("Accepted"), adminPage);
            Assert.That(stop.ExitCode, Is.EqualTo(0), stop.ToString());
            Assert.That(stop.Output, Does.Contain($"Stopped try-it (pid {run.Process.Id})"));
            Assert.That(ended.ExitCode, Is.EqualTo(0), ended.ToString());
            Assert.That(ended.Output, Does.EndWith("Stopped.\n"));
            Assert.That(Alive(keycloakPid), Is.False, "Keycloak is stopped");
            Assert.That(Alive(servicePid), Is.False, "the service is stopped");
            Assert.That(new[] { run.KeycloakPort, run.ServicePort, run.MailPort, run.SmtpPort }.Where(TryItRun.Listening), Is.Empty, "no port is left open");
            Assert.That(File.Exists(Path.Combine(run.StateFolder, "try-it.json")), Is.False);
            Assert.That(File.Exists(Path.Combine(run.StateFolder, "cli.env")), Is.False, "the CLI settings (with secrets) are gone");
            Assert.That(run.Output.Split(user.Password).Length - 1, Is.EqualTo(1), "the password is printed once");
            Assert.That(File.ReadAllText(Path.Combine(run.StateFolder, "service.log")), Does.Not.Contain(user.Password).And.Not.Contain(admin.Password));
        });
    }

    [Test]
    public async Task TryIt_ZipMissing_SaysWhereToDownloadIt_WithoutAStackTrace()
    {
        await using var run = TryItRun.Create();
        var arguments = run.StartArguments();
        arguments[Array.IndexOf(arguments, "--zip") + 1] = Path.Combine(run.StateFolder, "keycloak-26.7.3.zip");

        var result = await run.Script(arguments).RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Error, Does.Contain("keycloak-26.7.3.zip does not exist").And.Contain("https://github.com/keycloak/keycloak/releases/tag/26.7.3"));
            Assert.That(result.Error, Does.Not.Match(@"\n\s+at "), "no stack trace");
            Assert.That(File.Exists(Path.Combine(run.StateFolder, "try-it.json")), Is.False, "nothing was started");
        });
    }

    [Test]
    public async Task TryIt_JavaMissing_SaysToInstallJava17_WithoutAStackTrace()
    {
        await using var run = TryItRun.Create();
        var script = run.Script(run.StartArguments());
        script.Environment["JAVA_HOME"] = Path.Combine(run.StateFolder, "no-java");

        var result = await script.RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Error, Does.Contain("Java was not found").And.Contain("no-java/bin/java is missing").And.Contain("openjdk-17"));
            Assert.That(result.Error, Does.Not.Match(@"\n\s+at "), "no stack trace");
        });
    }

    private static async Task SignInAtAccountConsoleAsync(IPage page, TryItRun run, (string Username, string Password) person)
    {
        await page.GotoAsync($"{run.Keycloak}realms/externos/account");
        await KeycloakForms.SubmitLoginAsync(page, person.Username, person.Password);
    }

    /// <summary>
    /// Signs the person in, in a fresh browser, until Keycloak shows the terms step with <paramref name="expected"/>
    /// (the service starts the rollout of a material version within seconds of its publication); returns its text.
    /// </summary>
    private static async Task<string> UntilTermsStepAsync(TryItRun run, (string Username, string Password) person, string expected)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(90);
        while (true)
        {
            await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "es-AR" });
            await SignInAtAccountConsoleAsync(browser.Page, run, person);
            var terms = browser.Page.Locator("#kc-terms-text");
            await Expect(terms.Or(browser.Page.Locator("#firstName"))).ToBeVisibleAsync();
            if (await terms.IsVisibleAsync() && (await terms.InnerTextAsync()).Contains(expected, StringComparison.Ordinal))
            {
                var text = await terms.InnerTextAsync();
                await browser.KeepScreenshotAsync("e2e-try-it-terms-v2", "try-it: the demo user asked again after policy v2");
                await browser.Page.ClickAsync("#kc-accept");
                await Expect(browser.Page.Locator("#firstName")).ToBeVisibleAsync();
                return text;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                return await browser.Page.Locator("body").InnerTextAsync();
            }

            await Task.Delay(2000);
        }
    }

    private static List<string> AcceptedLines(string csv, string username) =>
        csv.Split('\n').Where(line => line.Contains(username, StringComparison.OrdinalIgnoreCase) && line.Contains("accepted", StringComparison.Ordinal)).ToList();

    private static bool Alive(int pid) => Directory.Exists($"/proc/{pid}");
}
