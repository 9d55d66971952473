using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// The users the Admin API cannot reach: a stored profile that Keycloak's validators refuse makes every user PUT fail,
/// but the extension writes server-side, so such a user is asked at login like anyone else.
/// </summary>
[NonParallelizable]
public sealed class RefusedProfileTests
{
    [Test]
    public async Task NewlineInStoredLastName_SignsIn_MeetsVerifyProfileThenTheTermsAndBothSucceed()
    {
        await using var stack = await BridgeStack.StartAsync();
        var email = BridgeTermsTests.Email("fede");
        var id = await stack.ImportPersonAsync(email, "Fede", "Gómez\nRuiz");
        var refused = await stack.Admin.SendAsync(HttpMethod.Put, $"realms/{stack.Name}/users/{id}",
            new JsonObject { ["requiredActions"] = new JsonArray() }, ensureSuccess: false);
        await stack.PublishAsync(1);

        await using var browser = await stack.SignInAsync(email);
        var page = browser.Page;
        var met = new List<string>();
        var lastNameShown = "";
        for (var step = 0; step < 4; step++)
        {
            var now = await BridgeStack.MeetsAsync(page);
            met.Add(now);
            if (now == "app")
            {
                break;
            }

            if (now == "terms:accept")
            {
                await BridgeStack.ClickAsync(page, "#kc-accept");
            }
            else if (now == "VERIFY_PROFILE")
            {
                lastNameShown = await page.InputValueAsync("#lastName");
                await page.FillAsync("#lastName", "Gómez Ruiz");
                await BridgeStack.ClickAsync(page, "#kc-update-profile-form [type=submit]");
            }
            else
            {
                Assert.Fail($"unexpected step {now} at {page.Url}");
            }
        }

        var stored = await stack.StoredAttributesAsync(id);
        var user = await stack.UserAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That((int)refused.Status, Is.EqualTo(400), $"the Admin API cannot write this user: {refused.Text}");
            // Keycloak's own VERIFY_PROFILE (priority 90 in a new realm) comes before an action registered later: the name is
            // corrected first, then the terms are accepted.
            Assert.That(met, Is.EqualTo(new[] { "VERIFY_PROFILE", "terms:accept", "app" }), "what the user meets, in order");
            Assert.That(lastNameShown, Does.StartWith("Gómez"), "the update-profile form shows the stored name to correct");
            Assert.That(BridgeTermsTests.Value(stored, "idpbridge.terms.acceptedVersion"), Is.EqualTo("1"), "the acceptance was stored despite the refused profile");
            Assert.That(user["lastName"]?.GetValue<string>(), Is.EqualTo("Gómez Ruiz"), "Keycloak's verify-profile step had the name corrected");
        });
    }

    [Test]
    public async Task NewlineInStoredLastName_TermsBeforeVerifyProfile_AcceptedWhileTheNameIsStillRefusedThenCorrected()
    {
        // The extension's priority below VERIFY_PROFILE's 90: the acceptance is written while the stored name is still one
        // the profile refuses, which only a server-side write can do.
        await using var stack = await BridgeStack.StartAsync(termsPriority: 5);
        var email = BridgeTermsTests.Email("gala");
        var id = await stack.ImportPersonAsync(email, "Gala", "Ruiz\nSoto");
        await stack.PublishAsync(1);

        await using var browser = await stack.SignInAsync(email);
        var page = browser.Page;
        var first = await BridgeStack.MeetsAsync(page);
        await BridgeStack.ClickAsync(page, "#kc-accept");
        var second = await BridgeStack.MeetsAsync(page);
        var storedBeforeCorrection = await stack.StoredAttributesAsync(id);
        var nameBeforeCorrection = (await stack.UserAsync(id))["lastName"]?.GetValue<string>();
        var third = "";
        if (second == "VERIFY_PROFILE")
        {
            await page.FillAsync("#lastName", "Ruiz Soto");
            await BridgeStack.ClickAsync(page, "#kc-update-profile-form [type=submit]");
            third = await BridgeStack.MeetsAsync(page);
        }

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second, third }, Is.EqualTo(new[] { "terms:accept", "VERIFY_PROFILE", "app" }), "what the user meets, in order");
            Assert.That(nameBeforeCorrection, Is.EqualTo("Ruiz\nSoto"), "the refused name was still stored when the acceptance was written");
            Assert.That(BridgeTermsTests.Value(storedBeforeCorrection, "idpbridge.terms.acceptedVersion"), Is.EqualTo("1"));
        });
    }
}
