using System.Text.Json.Nodes;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// A notice in Admin API mode (Keycloak's own TERMS_AND_CONDITIONS, no extension asking), on the real server in Chromium:
/// Keycloak renders the theme's terms page for the whole realm, without the user, so a user who still owes the material
/// version while a later notice is in force must be offered accept and decline, not a mere "continue".
/// </summary>
[NonParallelizable]
public sealed class AdminApiNoticeTests
{
    [Test]
    public async Task SignIn_OwesTheMaterialVersionWhileANoticeIsInForce_MeetsAcceptAndDeclineNotOnlyContinue()
    {
        // Arrange: the realm in Admin API mode; v1 (material) rolled out to the user, who has not signed in since; then
        // a notice (number 2) is published and is the version in force.
        await using var stack = await BridgeStack.StartAsync();
        var email = BridgeTermsTests.Email("olga");
        var id = await stack.CreatePersonAsync(email);
        await stack.SetActionAsync(BridgeStack.ProviderId, enabled: false);
        await stack.SetActionAsync("TERMS_AND_CONDITIONS", enabled: true, defaultAction: true);
        await stack.PublishAsync(1);
        var rollout = await stack.Cli().RunAsync("rollout", "start", "--yes", "--realm", stack.Name, "--version", "1", "--output", "json");
        var notice = await stack.PublishAsync(4);
        var kindText = await stack.Admin.GetAsync($"realms/{Uri.EscapeDataString(stack.Name)}/localization/en");

        // Act
        await using var browser = await stack.SignInAsync(email);
        var page = browser.Page;
        var met = await BridgeStack.MeetsAsync(page);
        var shown = await page.Locator("#kc-terms-text").InnerTextAsync();
        var buttons = await page.Locator("#kc-terms-form button").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.id)");
        var hint = await page.Locator("#idpbridge-notice-accept-hint").CountAsync();
        await BridgeStack.ClickAsync(page, "#kc-accept");
        var after = await BridgeStack.MeetsAsync(page);
        var user = await stack.UserAsync(id);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rollout.ExitCode, Is.Zero, rollout.ToString());
            Assert.That((int?)JsonNode.Parse(rollout.Output)!["counts"]!["marked"], Is.EqualTo(1), rollout.Output);
            Assert.That(notice, Is.EqualTo(notice with { Version = 2, Kind = "notice" }));
            Assert.That((string?)kindText!["idpbridgeTermsKind"], Is.EqualTo("notice"), "the realm's page is the notice's");
            Assert.That(met, Is.EqualTo("TERMS_AND_CONDITIONS"), "Keycloak's own step");
            Assert.That(shown, Does.Contain("Version 2"), "the text of the version in force, the notice");
            Assert.That(buttons, Is.EqualTo(new[] { "kc-accept", "kc-decline" }), "the user owes v1: accept or decline, not only continue");
            Assert.That(hint, Is.EqualTo(1), "the page says the version is a notice");
            Assert.That(after, Is.EqualTo("app"));
            Assert.That(user["requiredActions"]!.AsArray(), Is.Empty, "accepted: Keycloak removed its action");
            Assert.That(user["attributes"]?["terms_and_conditions"], Is.Not.Null, "Keycloak stored the acceptance time");
        });
    }
}
