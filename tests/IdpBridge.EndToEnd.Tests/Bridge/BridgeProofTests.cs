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
