using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// The real <c>idpbridge policy publish</c> and <c>rollout start</c> against a bridge realm of the real server (the
/// extension installed), and the moves between the two modes: nobody is asked twice for the same version.
/// </summary>
[NonParallelizable]
public sealed class BridgePublishTests
{
    private static readonly string Policies = BridgePolicyFiles.Demo;

    [Test]
    public async Task PublishThenRolloutStart_BridgeRealm_RealmAttributesCurrentOthersKeptNoUserWrittenAndAskedAtLogin()
    {
        // Arrange
        await using var stack = await BridgeStack.StartAsync();
        var cli = stack.Cli();
        var realmPath = $"realms/{Uri.EscapeDataString(stack.Name)}";
        await stack.WriteRealmAttributesAsync(new Dictionary<string, string> { ["acme.custom"] = "keep me" });
        var before = (await stack.Admin.GetAsync(realmPath))!["attributes"]!.AsObject();
        var email = BridgeTermsTests.Email("eva");
        var id = await stack.CreatePersonAsync(email);

        // Act
        var publish = await cli.RunAsync("policy", "publish", Path.Combine(Policies, "v1", "en.md"), "--realm", stack.Name);
        var afterV1 = (await stack.Admin.GetAsync(realmPath))!["attributes"]!.AsObject();
        var start = await cli.RunAsync("rollout", "start", "--realm", stack.Name, "--output", "json");
        var startText = await cli.RunAsync("rollout", "start", "--realm", stack.Name, "--version", "1");
        var user = await stack.UserAsync(id);
        var met = await BridgeTermsTests.SignInAndAnswerAsync(stack, email, "#kc-accept");
        var republish = await cli.RunAsync("policy", "publish", Path.Combine(Policies, "v2", "en.md"), "--realm", stack.Name);
        var afterV2 = (await stack.Admin.GetAsync(realmPath))!["attributes"]!.AsObject();
        var metV2 = await BridgeTermsTests.SignInAndAnswerAsync(stack, email, "#kc-accept");

        // Assert
        var json = JsonNode.Parse(start.Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
            Assert.That(publish.Output, Does.Contain("required-action bridge now say version 1 is in force"));
            Assert.That((string?)afterV1["idpbridge.terms.version"], Is.EqualTo("1"));
            Assert.That((string?)afterV1["idpbridge.terms.kind"], Is.EqualTo("material"));
            Assert.That((string?)afterV1["idpbridge.terms.materialVersion"], Is.EqualTo("1"));
            Assert.That((string?)afterV1["idpbridge.terms.policy"], Is.EqualTo("privacy"));
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That((string?)json["mode"], Is.EqualTo("bridge"));
            Assert.That((int?)json["usersWritten"], Is.Zero);
            Assert.That(json["realmAttributesWritten"]!.AsArray(), Is.Empty, "publish already made the realm current");
            Assert.That(startText.ExitCode, Is.Zero, startText.ToString());
            Assert.That(startText.Output, Does.Contain(
                "The realm uses IdpBridge's required-action bridge: version 1 is asked at each user's next login; no user was written."));
            Assert.That(user["requiredActions"]!.AsArray(), Is.Empty, "no user was written");
            Assert.That(met, Is.EqualTo(new[] { "terms:accept", "app" }));
            Assert.That(republish.ExitCode, Is.Zero, republish.ToString());
            Assert.That((string?)afterV2["idpbridge.terms.version"], Is.EqualTo("2"));
            Assert.That(metV2, Is.EqualTo(new[] { "terms:accept", "app" }), "version 2 asked again, once published");
            foreach (var (name, value) in before.Where(attribute => !attribute.Key.StartsWith("idpbridge.", StringComparison.Ordinal)))
            {
                Assert.That(afterV1[name]?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), name);
                Assert.That(afterV2[name]?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), name);
            }
        });
    }

    [Test]
    public async Task ModeSwitches_AcceptedInOneMode_NotAskedAgainInTheOther()
    {
        // Arrange: version 1 published through the real command; the realm starts in bridge mode.
        await using var stack = await BridgeStack.StartAsync();
        var cli = stack.Cli();
        var admin = await stack.CreatePersonAsync(BridgeTermsTests.Email("adm"));
        var adminEmail = (await stack.UserAsync(admin))["username"]!.GetValue<string>();
        var bridge = await stack.CreatePersonAsync(BridgeTermsTests.Email("brd"));
        var bridgeEmail = (await stack.UserAsync(bridge))["username"]!.GetValue<string>();
        Assert.That((await cli.RunAsync("policy", "publish", Path.Combine(Policies, "v1", "en.md"), "--realm", stack.Name)).ExitCode, Is.Zero);
        await stack.SetActionAsync(BridgeStack.ProviderId, enabled: true);

        // bridgeEmail accepts version 1 through the bridge.
        var metInBridge = await BridgeTermsTests.SignInAndAnswerAsync(stack, bridgeEmail, "#kc-accept");

        // Bridge → Admin API: a rollout of version 1 leaves alone whoever accepted it through the bridge.
        await stack.SetActionAsync(BridgeStack.ProviderId, enabled: false);
        await stack.SetActionAsync("TERMS_AND_CONDITIONS", enabled: true, defaultAction: true);
        var rollout = await cli.RunAsync("rollout", "start", "--yes", "--realm", stack.Name, "--version", "1", "--output", "json");
        var bridgeUser = await stack.UserAsync(bridge);
        var adminUser = await stack.UserAsync(admin);
        var metByBuiltIn = await BridgeTermsTests.SignInAndAnswerBuiltInAsync(stack, adminEmail);
        var bridgeInAdminMode = await BridgeTermsTests.SignInAndAnswerAsync(stack, bridgeEmail, null);

        // Admin API → bridge: whoever accepted version 1 through Keycloak's own step is not asked again by the bridge.
        await stack.SetActionAsync("TERMS_AND_CONDITIONS", enabled: false, defaultAction: false);
        await stack.SetActionAsync(BridgeStack.ProviderId, enabled: true);
        var adminInBridge = await BridgeTermsTests.SignInAndAnswerAsync(stack, adminEmail, null);

        // Assert
        var counts = JsonNode.Parse(rollout.Output)!["counts"]!;
        Assert.Multiple(() =>
        {
            Assert.That(metInBridge, Is.EqualTo(new[] { "terms:accept", "app" }));
            Assert.That(rollout.ExitCode, Is.Zero, rollout.ToString());
            Assert.That((int?)counts["exempted"], Is.EqualTo(1), rollout.Output);
            Assert.That((int?)counts["marked"], Is.EqualTo(1), rollout.Output);
            Assert.That(bridgeUser["requiredActions"]!.AsArray().Select(action => (string?)action), Has.No.Member("TERMS_AND_CONDITIONS"));
            Assert.That(adminUser["requiredActions"]!.AsArray().Select(action => (string?)action), Has.Member("TERMS_AND_CONDITIONS"));
            Assert.That(metByBuiltIn, Is.EqualTo(new[] { "TERMS_AND_CONDITIONS", "app" }));
            Assert.That(bridgeInAdminMode, Is.EqualTo(new[] { "app" }), "accepted through the bridge: not asked by the rollout");
            Assert.That(adminInBridge, Is.EqualTo(new[] { "app" }), "accepted through Keycloak's own step: not asked by the bridge");
        });
    }
}
