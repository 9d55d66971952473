using System.Diagnostics;
using System.Text.Json.Nodes;
using IdpBridge.Testing;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Bridge;

/// <summary>
/// The proof of acceptance from a real decision: a person accepts the bridge's terms step in Chromium on the real
/// server, <c>idpbridge ledger sync</c> records it, <c>ledger proof</c> signs it with a key made by the documented
/// openssl line, and <c>ledger verify-proof</c> checks it with the public key alone: valid as issued, invalid once a
/// byte of the file changed.
/// </summary>
[NonParallelizable]
public sealed class BridgeProofTests
{
    private static readonly string Policies = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    [Test]
    public async Task ProofThenVerifyProof_RealAcceptance_ValidAsIssuedAndInvalidOnceTampered()
    {
        // Arrange: a key as the README makes it, version 1 published through the real command, accepted at login.
        await using var stack = await BridgeStack.StartAsync();
        var folder = Directory.CreateTempSubdirectory("idpbridge-e2e-proof-").FullName;
        try
        {
            var keyPath = Path.Combine(folder, "proof-key.pem");
            await OpensslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath);
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var cli = stack.Server.Cli();
            cli.Environment["IdpBridge__Storage__SqlitePath"] = Path.Combine(folder, "idpbridge.db");
            cli.Environment["IdpBridge__Proof__SigningKeyPath"] = keyPath;
            var email = BridgeTermsTests.Email("pia");
            var id = await stack.CreatePersonAsync(email);
            await Succeeds(cli, "policy", "publish", Path.Combine(Policies, "v1", "en.md"), "--realm", stack.Name);
            var met = await BridgeTermsTests.SignInAndAnswerAsync(stack, email, "#kc-accept");

            // Act
            await Succeeds(cli, "ledger", "sync", "--realm", stack.Name);
            var verify = await Succeeds(cli, "ledger", "verify", "--realm", stack.Name);
            var page = Path.Combine(folder, "proof.html");
            var json = Path.Combine(folder, "proof.json");
            var issued = await Succeeds(cli, "ledger", "proof", "--realm", stack.Name, "--user", email, "--output", "html", "-o", page);
            await Succeeds(cli, "ledger", "proof", "--realm", stack.Name, "--user", id, "-o", json);
            var publicKey = await Succeeds(cli, "ledger", "public-key");
            var publicKeyPath = Path.Combine(folder, "proof-public.pem");
            await File.WriteAllTextAsync(publicKeyPath, publicKey.Output);
            var offline = new IdpBridgeProcess();
            var pageValid = await offline.RunAsync("ledger", "verify-proof", page, "--public-key", publicKeyPath);
            var jsonValid = await offline.RunAsync("ledger", "verify-proof", json, "--public-key", publicKeyPath);
            var text = await File.ReadAllTextAsync(json);
            await File.WriteAllTextAsync(json, text.Replace("\"ipAddress\": \"127.0.0.1\"", "\"ipAddress\": \"127.0.0.2\"", StringComparison.Ordinal));
            var jsonTampered = await offline.RunAsync("ledger", "verify-proof", json, "--public-key", publicKeyPath);
            var html = await File.ReadAllTextAsync(page);
            await File.WriteAllTextAsync(page, html.Replace("<td>accepted</td>", "<td>declined</td>", StringComparison.Ordinal));
            var pageTampered = await offline.RunAsync("ledger", "verify-proof", page, "--public-key", publicKeyPath);

            // Assert
            var proof = JsonNode.Parse(text)!["proof"]!;
            var head = verify.Output.Split('\n').Single(line => line.StartsWith("Head: ", StringComparison.Ordinal))[6..70];
            Assert.Multiple(() =>
            {
                Assert.That(met, Is.EqualTo(new[] { "terms:accept", "app" }));
                Assert.That(issued.Error, Does.Contain($"Proof of accepted: {email}, privacy version 1, the latest material version in force, which the user accepted"));
                Assert.That(File.GetUnixFileMode(page), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "a proof names a person");
                Assert.That(((string?)proof["user"]!["id"], (string?)proof["user"]!["username"], (int?)proof["version"]!["number"]), Is.EqualTo((id, email, 1)));
                Assert.That(((string?)proof["decision"], (string?)proof["source"], (string?)proof["clientId"], (string?)proof["ipAddress"]),
                    Is.EqualTo(("accepted", "event", "demo-app", "127.0.0.1")));
                Assert.That((string?)proof["version"]!["texts"]![0]!["locale"], Is.EqualTo("en"));
                Assert.That((string?)proof["record"]!["chainHash"], Is.EqualTo(head), "the one record is the chain's head that ledger verify prints");
                Assert.That(publicKey.Output, Does.StartWith("-----BEGIN PUBLIC KEY-----").And.Not.Contain("PRIVATE"));
                Assert.That(publicKey.Error, Does.Contain($"key id: {(string?)proof["keyId"]}"));
                Assert.That(pageValid.ExitCode, Is.Zero, pageValid.ToString());
                // The page and the JSON file are two proofs, issued a moment apart: each is checked against its own time.
                Assert.That(pageValid.Output, Does.Match($@"^Valid proof \(page\): signed \S+Z by key {(string?)proof["keyId"]}\."));
                Assert.That(jsonValid.Output, Does.Contain($"signed {(string?)proof["issuedAt"]} by key {(string?)proof["keyId"]}."));
                Assert.That(pageValid.Output, Does.Contain($"  {email} (id {id}), realm {stack.Name}"));
                Assert.That(jsonValid.ExitCode, Is.Zero, jsonValid.ToString());
                Assert.That(jsonTampered.ExitCode, Is.EqualTo(2), jsonTampered.ToString());
                Assert.That(jsonTampered.Output, Does.StartWith("INVALID: the signature does not match the document"));
                Assert.That(pageTampered.ExitCode, Is.EqualTo(2), pageTampered.ToString());
                Assert.That(pageTampered.Output, Does.StartWith("INVALID: the page is not the one its signed proof renders to"));
            });
            TestContext.Out.WriteLine(issued.Error + pageValid.Output + jsonTampered.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Proof_SignedInInSpanishThroughTheBridge_NamesEsAndKeycloaksOwnStepNamesNone()
    {
        // Arrange: a realm offering en and es (en the default). Lía signs in asking for Spanish (ui_locales=es) and
        // accepts v1 on the bridge's page; then the realm goes to Admin API mode and Teo, also asking for Spanish,
        // accepts v1 on Keycloak's own terms step, whose event names no locale.
        await using var stack = await BridgeStack.StartAsync(languages: true);
        var folder = Directory.CreateTempSubdirectory("idpbridge-e2e-proof-locale-").FullName;
        try
        {
            var keyPath = Path.Combine(folder, "proof-key.pem");
            await OpensslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath);
            var cli = stack.Cli();
            cli.Environment["IdpBridge__Proof__SigningKeyPath"] = keyPath;
            var (lia, teo) = (BridgeTermsTests.Email("lia"), BridgeTermsTests.Email("teo"));
            var liaId = await stack.CreatePersonAsync(lia);
            var teoId = await stack.CreatePersonAsync(teo);
            await Succeeds(cli, "policy", "publish", Path.Combine(Policies, "v1", "en.md"), "--realm", stack.Name);
            string pageLanguage;
            List<string> liaMet;
            await using (var browser = await stack.SignInAsync(lia, uiLocales: "es"))
            {
                liaMet = [await BridgeStack.MeetsAsync(browser.Page)];
                pageLanguage = await browser.Page.EvaluateAsync<string>("() => document.documentElement.lang");
                await BridgeStack.ClickAsync(browser.Page, "#kc-accept");
                liaMet.Add(await BridgeStack.MeetsAsync(browser.Page));
            }

            await stack.SetActionAsync(BridgeStack.ProviderId, enabled: false);
            await stack.SetActionAsync("TERMS_AND_CONDITIONS", enabled: true, defaultAction: true);
            await Succeeds(cli, "rollout", "start", "--yes", "--realm", stack.Name, "--version", "1");
            List<string> teoMet;
            await using (var browser = await stack.SignInAsync(teo, uiLocales: "es"))
            {
                teoMet = [await BridgeStack.MeetsAsync(browser.Page)];
                await BridgeStack.ClickAsync(browser.Page, "#kc-accept");
                teoMet.Add(await BridgeStack.MeetsAsync(browser.Page));
            }

            var events = (await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", liaId)).Concat(await stack.EventsAsync("CUSTOM_REQUIRED_ACTION", teoId)).ToList();
            TestContext.Out.WriteLine("Events as the real server returns them:\n" + string.Join("\n", events.Select(e => e.ToJsonString())));

            // Act
            await Succeeds(cli, "ledger", "sync", "--realm", stack.Name);
            var liaHistory = await Succeeds(cli, "ledger", "history", "--realm", stack.Name, "--user", liaId, "--output", "json");
            var teoHistory = await Succeeds(cli, "ledger", "history", "--realm", stack.Name, "--user", teoId);
            var liaJson = Path.Combine(folder, "lia.json");
            var liaPage = Path.Combine(folder, "lia.html");
            var teoPage = Path.Combine(folder, "teo.html");
            await Succeeds(cli, "ledger", "proof", "--realm", stack.Name, "--user", liaId, "-o", liaJson);
            await Succeeds(cli, "ledger", "proof", "--realm", stack.Name, "--user", liaId, "--output", "html", "-o", liaPage);
            await Succeeds(cli, "ledger", "proof", "--realm", stack.Name, "--user", teoId, "--output", "html", "-o", teoPage);
            var publicKeyPath = Path.Combine(folder, "proof-public.pem");
            await File.WriteAllTextAsync(publicKeyPath, (await Succeeds(cli, "ledger", "public-key")).Output);
            var offline = new IdpBridgeProcess();
            var liaValid = await offline.RunAsync("ledger", "verify-proof", liaJson, "--public-key", publicKeyPath);
            var liaPageValid = await offline.RunAsync("ledger", "verify-proof", liaPage, "--public-key", publicKeyPath);
            var teoPageValid = await offline.RunAsync("ledger", "verify-proof", teoPage, "--public-key", publicKeyPath);
            var liaText = await File.ReadAllTextAsync(liaJson);
            await File.WriteAllTextAsync(liaJson, liaText.Replace("\"localeShown\": \"es\"", "\"localeShown\": \"en\"", StringComparison.Ordinal));
            var liaTampered = await offline.RunAsync("ledger", "verify-proof", liaJson, "--public-key", publicKeyPath);

            // Assert
            var proof = JsonNode.Parse(liaText)!["proof"]!;
            var teoHtml = await File.ReadAllTextAsync(teoPage);
            Assert.Multiple(() =>
            {
                Assert.That((liaMet, teoMet), Is.EqualTo((new List<string> { "terms:accept", "app" }, new List<string> { "TERMS_AND_CONDITIONS", "app" })));
                Assert.That(pageLanguage, Is.EqualTo("es"), "the bridge's page was rendered in Spanish");
                Assert.That(events.Select(e => (string?)e["details"]?["locale"]), Is.EqualTo(new[] { "es", null }), "the bridge's event names it; Keycloak's own none");
                Assert.That((string?)JsonNode.Parse(liaHistory.Output)![0]!["locale_shown"], Is.EqualTo("es"));
                Assert.That(teoHistory.Output, Does.Contain("via event").And.Not.Contain("shown in"));
                Assert.That(((string?)proof["localeShown"], (string?)proof["record"]!["encoding"]), Is.EqualTo(("es", "idpbridge-acceptance/2")));
                Assert.That(File.ReadAllText(liaPage), Does.Contain("<th>Language shown</th><td>es "));
                Assert.That(teoHtml, Does.Contain("<th>Language shown</th><td>not recorded (Keycloak's own terms step and its events do not say)"));
                Assert.That(teoHtml, Does.Contain("\"localeShown\":null"), "the signed proof embedded in the page says null");
                Assert.That((liaValid.ExitCode, liaPageValid.ExitCode, teoPageValid.ExitCode), Is.EqualTo((0, 0, 0)), $"{liaValid}\n{liaPageValid}\n{teoPageValid}");
                Assert.That(liaTampered.ExitCode, Is.EqualTo(2), liaTampered.ToString());
                Assert.That(liaTampered.Output, Does.StartWith("INVALID: the signature does not match the document"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<CliRun> Succeeds(IdpBridgeProcess cli, params string[] args)
    {
        var run = await cli.RunAsync(args);
        Assert.That(run.ExitCode, Is.Zero, $"idpbridge {string.Join(' ', args)}: {run}");
        return run;
    }

    private static async Task OpensslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start: install the Debian package openssl.");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"openssl {string.Join(' ', args)}: {error}");
    }
}
