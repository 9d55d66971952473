using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>
/// The keyed secret hash on the real Keycloak: with <c>IdpBridge:Provisioning:SecretHashKey</c> set, an IdP's client
/// secret from <c>${env:...}</c> is stored with a hash keyed by it, a second plan sees no change, a new secret in the
/// environment shows as a sensitive change, and neither secret nor an unkeyed hash of it appears in the realm's
/// export, the plans or the request log.
/// </summary>
public sealed class SecretHashKeyTests : ProvisioningFixture
{
    private const string NewSecret = "g-secret-rotated-81c4";
    private const string PublicPrefix = "hmac-sha256:";
    private const string KeyedPrefix = "hmac-sha256-keyed:";

    [Test]
    public async Task ApplyPlanAndRotate_WithAKey_StoreAKeyedHashAndNeverShowTheSecret()
    {
        await using var demo = DemoRealm.CopyInAdminApiMode(Admin);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));
        var oldSecret = DemoRealm.Secrets["GOOGLE_CLIENT_SECRET"];

        var apply = await RunAsync(demo, key, oldSecret, "realm", "apply", demo.Folder, "--auto-approve");
        var stored = (await ReadAsync(demo, "/identity-provider/instances/google"))["config"]!["idpbridge.clientSecretHash"]!.GetValue<string>();
        var plan = await RunAsync(demo, key, oldSecret, "realm", "plan", demo.Folder, "--detailed-exitcode", "--verbose");
        var rotated = await RunAsync(demo, key, NewSecret, "realm", "plan", demo.Folder, "--detailed-exitcode", "--verbose");
        var rotatedJson = await RunAsync(demo, key, NewSecret, "realm", "plan", demo.Folder, "--output", "json");
        var export = await RunAsync(demo, key, oldSecret, "realm", "export", demo.Name);

        Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
        Assert.That(stored, Does.StartWith(KeyedPrefix));
        Assert.That(stored, Is.Not.EqualTo(UnkeyedHash(demo.Name, oldSecret)));
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Contain($"No changes. Realm '{demo.Name}' matches the file."));
        Assert.That(plan.Output + plan.Error, Does.Not.Contain("SecretHashKey"), "no warning once the key is set");
        Assert.That(rotated.ExitCode, Is.EqualTo(2), rotated.ToString());
        Assert.That(rotated.Output, Does.Contain("identity-provider:\n  ~ google\n").And.Contain("config.clientSecret: (sensitive)"));
        Assert.That(JsonNode.Parse(rotatedJson.Output)!.ToJsonString(), Does.Contain("\"sensitive\":true"));
        Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
        Assert.That(export.Output, Does.Not.Contain("idpbridge.clientSecretHash"));
        foreach (var run in new[] { apply, plan, rotated, rotatedJson, export })
        {
            foreach (var secret in new[] { oldSecret, NewSecret })
            {
                Assert.That(run.Output + run.Error, Does.Not.Contain(secret).And.Not.Contain(UnkeyedHash(demo.Name, secret)[PublicPrefix.Length..]), run.ToString());
            }

            Assert.That(run.Output + run.Error, Does.Not.Contain(stored[KeyedPrefix.Length..]).And.Not.Contain(key), "nor the stored hash, nor the key");
        }
    }

    /// <summary>What IdpBridge stored without a key: HMAC-SHA256 keyed by the public <c>idpbridge/{realm}/{alias}</c>.</summary>
    private static string UnkeyedHash(string realm, string secret) =>
        PublicPrefix + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"idpbridge/{realm}/google"), Encoding.UTF8.GetBytes(secret)));

    /// <summary><c>idpbridge</c> with the key and Google's client secret set, checked for every secret it was given.</summary>
    private async Task<CliRun> RunAsync(DemoRealm demo, string key, string googleSecret, params string[] args)
    {
        var cli = Server.Cli();
        cli.Environment["IdpBridge__Provisioning__SecretHashKey"] = key;
        cli.Environment["GOOGLE_CLIENT_SECRET"] = googleSecret;
        var run = await cli.RunAsync(args);
        AssertNoSecretIn($"idpbridge {string.Join(' ', args)} ({demo.Name})", run.Output + run.Error);
        return run;
    }
}
