using System.Text.RegularExpressions;
using IdpBridge.EndToEnd.Tests.Browser;
using IdpBridge.Testing.Browser;
using IdpBridge.Testing.RealKeycloak;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// A person brokered from an OIDC provider (a second realm of the same server) into the demo realm in bridge mode,
/// provisioned by <c>idpbridge realm apply</c> with the provider in its realm file, after version 2 was published with
/// <c>idpbridge policy publish</c>: Keycloak's first broker login runs its own steps, then the bridge asks for version 2,
/// once.
/// </summary>
[NonParallelizable]
public sealed partial class BridgeBrokeringTests
{
    [Test]
    public async Task BrokeredFirstLogin_AfterV2_ReviewsTheProfileThenAcceptsV2OnceAndTheNextLoginAsksNothing()
    {
        // Arrange: the upstream sends no last name, so the first broker login's review-profile step asks for it.
        using var real = await RealServer.SharedAsync();
        await using var upstream = await TestRealm.CreateAsync(real.Admin, "upstream");
        var clientSecret = "broker-secret-" + Guid.NewGuid().ToString("N")[..8];
        await using var stack = await DemoStack.StartAsync(
            config => config["identityProviders"]!.AsArray().Add(BrokeringTests.Provider(real.Server.BaseUrl, upstream.Name)),
            new Dictionary<string, string> { ["UPSTREAM_CLIENT_SECRET"] = clientSecret },
            bridgeMode: true);
        await stack.PublishAsync("v1");
        var v2 = await stack.PublishAsync("v2");
        var email = $"bea.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        await BrokeringTests.ArrangeUpstreamAsync(stack, upstream.Name, clientSecret, email, lastName: null);

        // Act
        var first = await SignInThroughUpstreamAsync(stack, upstream.Name, email);
        var realm = Uri.EscapeDataString(stack.Name);
        var id = (await stack.Admin.GetAsync($"realms/{realm}/users?email={Uri.EscapeDataString(email)}&exact=true"))!.AsArray().Single()!["id"]!.GetValue<string>();
        var second = await SignInThroughUpstreamAsync(stack, upstream.Name, email);
        var user = await stack.UserAsync(id);
        var answers = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", id);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "upstream-login", "review-profile", "terms:accept v2", "app" }),
                "the first broker login's own step (review profile: no last name came), then the bridge's terms page for v2");
            Assert.That(second, Is.EqualTo(new[] { "upstream-login", "app" }), "v2 accepted: nothing asked at the next login");
            Assert.That(user["lastName"]?.GetValue<string>(), Is.EqualTo("Gómez"), "what the review-profile step asked for");
            Assert.That(user["requiredActions"]!.AsArray(), Is.Empty, "nothing was put on the user");
            Assert.That(answers.Select(e => $"{e["details"]?["custom_required_action"]} {e["details"]?["version"]} {e["details"]?["sha256"]} {e["details"]?["decision"]}"),
                Is.EqualTo(new[] { $"idpbridge-terms 2 {(string?)v2["contentHash"]} accepted" }), "asked for version 2 exactly once");
            Assert.That(stack.App.Callbacks.Select(callback => callback.ContainsKey("code")), Is.EqualTo(new[] { true, true }));
        });
    }

    /// <summary>
    /// Signs in with a fresh browser through the upstream provider, answers what comes (the review-profile form with the
    /// last name, the terms page with accept) and lists the steps met, with the version the terms page showed.
    /// </summary>
    private static async Task<List<string>> SignInThroughUpstreamAsync(DemoStack stack, string upstream, string email)
    {
        await using var browser = await BrowserSession.StartAsync(new BrowserSessionOptions { Locale = "en-US" });
        var page = browser.Page;
        await page.GotoAsync(stack.App.SignInUrl(stack.Keycloak, stack.Name).ToString());
        await BridgeStack.ClickAsync(page, $"#social-{BrokeringTests.Alias}");
        await Expect(page).ToHaveURLAsync(new Regex($"/realms/{upstream}/"));
        var met = new List<string> { "upstream-login" };
        var before = page.Url;
        await KeycloakForms.SubmitLoginAsync(page, email, BrokeringTests.Password);
        await page.WaitForURLAsync(url => url != before);
        for (var step = 0; step < 5; step++)
        {
            if (page.Url.Contains("/callback?", StringComparison.Ordinal))
            {
                met.Add("app");
                return met;
            }

            if (await page.Locator("#kc-idp-review-profile-form").CountAsync() > 0)
            {
                met.Add("review-profile");
                await page.FillAsync("#lastName", "Gómez");
                await BridgeStack.ClickAsync(page, "#kc-idp-review-profile-form [type=submit]");
            }
            else if (await page.Locator("#kc-terms-form").CountAsync() > 0)
            {
                Assert.That(page.Url, Does.Contain("execution=" + BridgeStack.ProviderId), "the bridge's step, not Keycloak's own");
                var version = VersionLine().Match(await page.Locator("#idpbridge-terms-version").InnerTextAsync()).Groups["number"].Value;
                met.Add($"{(await page.Locator("#kc-continue").CountAsync() > 0 ? "terms:notice" : "terms:accept")} v{version}");
                await BridgeStack.ClickAsync(page, "#kc-accept");
            }
            else
            {
                Assert.Fail($"an unexpected page at {page.Url}: {await page.TitleAsync()}");
            }
        }

        Assert.Fail($"still not back at the application after {string.Join(", ", met)}: {page.Url}");
        return met;
    }

    [GeneratedRegex(@"(?<number>\d+)")]
    private static partial Regex VersionLine();
}
