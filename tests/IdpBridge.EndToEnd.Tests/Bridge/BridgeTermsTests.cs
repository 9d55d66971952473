using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// IdpBridge's Keycloak extension on the real server, in Chromium: the real <c>idpbridge policy publish</c> writes the
/// version in force into the realm's attributes (one realm write per version, none per user) and each user meets what
/// they owe at their next login.
/// </summary>
[NonParallelizable]
public sealed class BridgeTermsTests
{
    [Test]
    public async Task Versions_MaterialMaterialMinorNotice_AskedForEachMaterialNotTheMinorAndTheNoticeOnce()
    {
        await using var stack = await BridgeStack.StartAsync();
        var email = Email("ana");
        var id = await stack.CreatePersonAsync(email);
        var v1 = await stack.PublishAsync(1);
        var started = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

        var metV1 = await SignInAndAnswerAsync(stack, email, "#kc-accept");
        var shown = await stack.UserAsync(id);
        var afterV1 = await stack.StoredAttributesAsync(id);
        var acceptedSeconds = DateTimeOffset.Parse(Value(afterV1, "idpbridge.terms.acceptedAt") ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        var byTermsTime = await stack.UsersWithAsync("terms_and_conditions", acceptedSeconds.ToString(CultureInfo.InvariantCulture));
        var v2 = await stack.PublishAsync(2);
        var metV2 = await SignInAndAnswerAsync(stack, email, "#kc-accept");
        var afterV2 = await stack.StoredAttributesAsync(id);
        await stack.PublishAsync(3);
        var metV3 = await SignInAndAnswerAsync(stack, email, null);
        var v4 = await stack.PublishAsync(4);
        var metV4 = await SignInAndAnswerAsync(stack, email, "#kc-continue");
        var metV4Again = await SignInAndAnswerAsync(stack, email, null);
        var afterV4 = await stack.StoredAttributesAsync(id);

        var answers = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", id);
        Assert.Multiple(() =>
        {
            Assert.That(metV1, Is.EqualTo(new[] { "terms:accept", "app" }), "v1 material: asked");
            Assert.That(metV2, Is.EqualTo(new[] { "terms:accept", "app" }), "v2 material: asked again");
            Assert.That(metV3, Is.EqualTo(new[] { "app" }), "v3 minor: nothing");
            Assert.That(metV4, Is.EqualTo(new[] { "terms:notice", "app" }), "v4 notice: shown, with only continue");
            Assert.That(metV4Again, Is.EqualTo(new[] { "app" }), "v4 notice: once");

            Assert.That(Value(afterV1, "idpbridge.terms.acceptedVersion"), Is.EqualTo("1"));
            Assert.That(Value(afterV1, "idpbridge.terms.acceptedSha256"), Is.EqualTo(v1.Sha256));
            Assert.That(acceptedSeconds, Is.InRange(started - 5, started + 120));
            Assert.That(byTermsTime, Is.EqualTo(new[] { id }), "terms_and_conditions: the same time, in seconds, as the built-in action writes it");
            Assert.That(afterV1.ContainsKey("terms_and_conditions"), Is.False, "not shown, even to an admin, while the built-in action is disabled");
            Assert.That(Value(afterV2, "idpbridge.terms.acceptedVersion"), Is.EqualTo("2"));
            Assert.That(Value(afterV2, "idpbridge.terms.acceptedSha256"), Is.EqualTo(v2.Sha256));
            Assert.That(Value(afterV4, "idpbridge.terms.acceptedVersion"), Is.EqualTo("2"), "a notice is no acceptance");
            Assert.That(Value(afterV4, "idpbridge.terms.acknowledgedVersion"), Is.EqualTo("4"));
            Assert.That(afterV4.ContainsKey("idpbridge.terms.acknowledgedAt"), Is.True);

            // The admin representation (what the profile declares) shows none of the extension's attributes.
            Assert.That((shown["attributes"] as JsonObject ?? []).Select(a => a.Key), Has.None.StartsWith("idpbridge."));
            Assert.That(shown["requiredActions"]!.AsArray(), Is.Empty, "nothing pending was ever written to the user");

            Assert.That(answers.Select(e => Details(e, "custom_required_action", "policy", "version", "sha256", "kind", "decision")), Is.EqualTo(new[]
            {
                $"idpbridge-terms privacy 1 {v1.Sha256} material accepted",
                $"idpbridge-terms privacy 2 {v2.Sha256} material accepted",
                $"idpbridge-terms privacy 4 {v4.Sha256} notice acknowledged",
            }));
        });
    }

    [Test]
    public async Task Decline_MaterialVersion_EndsTheLoginWithAccessDeniedAndStoresNothing()
    {
        await using var stack = await BridgeStack.StartAsync();
        var email = Email("carla");
        var id = await stack.CreatePersonAsync(email);
        var v1 = await stack.PublishAsync(1);

        await using var browser = await stack.SignInAsync(email);
        var met = await BridgeStack.MeetsAsync(browser.Page);
        await BridgeStack.ClickAsync(browser.Page, "#kc-decline");
        await Expect(browser.Page.Locator("#error")).ToBeVisibleAsync();
        var callback = stack.App.Callbacks.Single();
        var stored = await stack.StoredAttributesAsync(id);
        var declined = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION_ERROR", id);
        var metNextTime = await SignInAndAnswerAsync(stack, email, "#kc-accept");

        Assert.Multiple(() =>
        {
            Assert.That(met, Is.EqualTo("terms:accept"));
            Assert.That(callback["error"], Is.EqualTo("access_denied"));
            Assert.That(callback.GetValueOrDefault("error_description"), Is.EqualTo("termsAndConditionsDeclined"));
            Assert.That(callback.ContainsKey("code"), Is.False);
            Assert.That(stored.Select(a => a.Key), Has.None.StartsWith("idpbridge.").And.No.EqualTo("terms_and_conditions"));
            Assert.That(declined, Has.Count.EqualTo(1));
            Assert.That(declined[0]["error"]?.GetValue<string>(), Is.EqualTo("rejected_by_user"));
            Assert.That(Details(declined[0], "custom_required_action", "version", "sha256", "decision"),
                Is.EqualTo($"idpbridge-terms 1 {v1.Sha256} declined"));
            Assert.That(metNextTime, Is.EqualTo(new[] { "terms:accept", "app" }), "asked again at the next login");
        });
    }

    [Test]
    public async Task UserCreatedAfterV2_SignsInTwice_AskedExactlyOnce()
    {
        await using var stack = await BridgeStack.StartAsync();
        await stack.PublishAsync(1);
        await stack.PublishAsync(2);
        var email = Email("dora");
        var id = await stack.CreatePersonAsync(email);

        var first = await SignInAndAnswerAsync(stack, email, "#kc-accept");
        var second = await SignInAndAnswerAsync(stack, email, null);
        var answers = await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", id);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "terms:accept", "app" }));
            Assert.That(second, Is.EqualTo(new[] { "app" }));
            Assert.That(answers.Select(e => Details(e, "version", "decision")), Is.EqualTo(new[] { "2 accepted" }));
        });
    }

    [Test]
    public async Task MalformedVersion_SignIn_TheLoginGoesOnAndTheFaultIsLoggedOnce()
    {
        await using var stack = await BridgeStack.StartAsync();
        var email = Email("eva");
        await stack.CreatePersonAsync(email);
        await stack.PublishAsync(1);
        // Planted by hand on purpose: IdpBridge never writes a malformed version, so the real publish cannot make one.
        await stack.WriteRealmAttributesAsync(new Dictionary<string, string> { ["idpbridge.terms.version"] = "two" });

        var first = await SignInAndAnswerAsync(stack, email, null);
        var second = await SignInAndAnswerAsync(stack, email, null);
        var log = ReadLog(stack);

        var fault = $"realm {stack.Name}: idpbridge.terms.version is not a whole number: 'two'";
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "app" }));
            Assert.That(second, Is.EqualTo(new[] { "app" }));
            Assert.That(log.Split('\n').Count(line => line.Contains(fault, StringComparison.Ordinal)), Is.EqualTo(1), "logged once, not at every login");
        });
    }

    [Test]
    public async Task Publish_RealmWithOtherAttributes_KeepsEveryOneOfThem()
    {
        await using var stack = await BridgeStack.StartAsync();
        var path = $"realms/{Uri.EscapeDataString(stack.Name)}";
        // Another tool's attribute, which IdpBridge does not write: set by hand.
        await stack.WriteRealmAttributesAsync(new Dictionary<string, string> { ["acme.custom"] = "keep me" });
        var before = (await stack.Admin.GetAsync(path))!["attributes"]!.AsObject();

        await stack.PublishAsync(1);
        var v2 = await stack.PublishAsync(2);
        var after = (await stack.Admin.GetAsync(path))!["attributes"]!.AsObject();

        Assert.Multiple(() =>
        {
            foreach (var (name, value) in before.Where(a => !a.Key.StartsWith("idpbridge.", StringComparison.Ordinal)))
            {
                Assert.That(after[name]?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), name);
            }

            Assert.That(after["acme.custom"]?.GetValue<string>(), Is.EqualTo("keep me"));
            Assert.That(after["idpbridge.terms.version"]?.GetValue<string>(), Is.EqualTo("2"));
            Assert.That(after["idpbridge.terms.sha256"]?.GetValue<string>(), Is.EqualTo(v2.Sha256));
        });
    }

    /// <summary>Signs in with a fresh browser, answers the terms page with <paramref name="answer"/> (none: expect no page) and lists what the user met.</summary>
    internal static async Task<List<string>> SignInAndAnswerAsync(BridgeStack stack, string email, string? answer, string? uiLocales = null)
    {
        await using var browser = await stack.SignInAsync(email, uiLocales);
        var met = new List<string> { await BridgeStack.MeetsAsync(browser.Page) };
        if (answer is not null && met[0].StartsWith("terms:", StringComparison.Ordinal))
        {
            await BridgeStack.ClickAsync(browser.Page, answer);
            met.Add(await BridgeStack.MeetsAsync(browser.Page));
        }

        return met;
    }

    /// <summary>Signs in with a fresh browser in Admin API mode: accepts Keycloak's own terms step when it is shown.</summary>
    internal static async Task<List<string>> SignInAndAnswerBuiltInAsync(BridgeStack stack, string email)
    {
        await using var browser = await stack.SignInAsync(email);
        var met = new List<string> { await BridgeStack.MeetsAsync(browser.Page) };
        if (met[0] == "TERMS_AND_CONDITIONS")
        {
            await BridgeStack.ClickAsync(browser.Page, "#kc-accept");
            met.Add(await BridgeStack.MeetsAsync(browser.Page));
        }

        return met;
    }

    internal static string Email(string name) => $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.org";

    internal static string? Value(JsonObject attributes, string name) => attributes[name] is JsonArray { Count: > 0 } values ? values[0]!.GetValue<string>() : null;

    private static string Details(JsonObject e, params string[] names) =>
        string.Join(' ', names.Select(name => e["details"]?[name]?.GetValue<string>() ?? "(none)"));

    private static string ReadLog(BridgeStack stack)
    {
        using var stream = new FileStream(stack.Server.Server.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
