using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>
/// <c>IdpBridge:Provisioning:SecretHashKey</c>: with it, the hashes stored beside an IdP's client secret and the SMTP
/// password cannot be checked offline; converging stays at zero writes, and a new key (or none before) rewrites
/// each secret exactly once. Without it, the plan warns.
/// </summary>
public sealed class SecretHashKeyTests : ProvisionerTestBase
{
    private const string Secret = "Summer2026";
    private const string Key = "k3y-0f-at-least-32-chars-9b1e7c4a2d";
    private const string OtherKey = "an0ther-k3y-0f-32-chars-or-more-55f0e";

    private static readonly RealmConfig Declared = RealmConfigLoader.Parse("""
        { "realm": "shop",
          "smtpServer": { "host": "smtp.example.org", "user": "mailer", "password": "${env:SMTP_PASSWORD}" },
          "identityProviders": [ { "alias": "google", "providerId": "google", "config": { "clientId": "id", "clientSecret": "${env:GOOGLE_SECRET}" } } ] }
        """, "realm.json", name => name is "SMTP_PASSWORD" or "GOOGLE_SECRET" ? Secret : null).Config;

    [Test]
    public async Task Apply_WithKey_StoresAHashAGuessWithThePublicKeyDoesNotMatch()
    {
        Simulator.CreateRealm("shop");
        var provisioner = Keyed(Key);

        await provisioner.ApplyAsync(Declared, await provisioner.PlanAsync(Declared));

        var (idpHash, smtpHash) = StoredHashes();
        string[] guesses = ["Password1", "Winter2025", Secret, "letmein"];
        Assert.Multiple(() =>
        {
            Assert.That(idpHash, Does.StartWith(SecretHash.KeyedPrefix));
            Assert.That(smtpHash, Does.StartWith(SecretHash.KeyedPrefix));
            Assert.That(idpHash, Is.Not.EqualTo(SecretHash.Public.Of("shop", "google", Secret)));
            Assert.That(smtpHash, Is.Not.EqualTo(SecretHash.Public.Of("shop", "smtpServer", Secret)));
            // What an attacker who read the realm does: HMAC each guess with the public string, compare the digest.
            Assert.That(guesses.Select(guess => PublicDigest("shop", "google", guess)), Has.None.EqualTo(Digest(idpHash)));
            Assert.That(guesses.Select(guess => PublicDigest("shop", "smtpServer", guess)), Has.None.EqualTo(Digest(smtpHash)));
            Assert.That(Simulator.Requests.Select(request => request.Body ?? ""), Has.None.Contain(Key), "the key never reaches Keycloak");
        });
    }

    [Test]
    public async Task Apply_SameKeyTwice_SecondApplyWritesNothing()
    {
        Simulator.CreateRealm("shop");
        var provisioner = Keyed(Key);
        await provisioner.ApplyAsync(Declared, await provisioner.PlanAsync(Declared));
        var writesBefore = AdminWrites().Count;

        var second = await Keyed(Key).PlanAsync(Declared);
        await provisioner.ApplyAsync(Declared, second);

        Assert.Multiple(() =>
        {
            Assert.That(second.IsEmpty, Is.True, string.Join("; ", Describe(second)));
            Assert.That(AdminWrites().Count, Is.EqualTo(writesBefore));
            Assert.That(second.Warnings, Is.Empty);
        });
    }

    [Test]
    public async Task Apply_KeyAddedThenChanged_WritesEachSecretOnceThenNothing()
    {
        Simulator.CreateRealm("shop");
        await Provisioner.ApplyAsync(Declared, await Provisioner.PlanAsync(Declared));
        var (unkeyedIdp, _) = StoredHashes();

        var added = await ApplyCountingWrites(Keyed(Key));
        var (keyedIdp, keyedSmtp) = StoredHashes();
        var afterAdded = await ApplyCountingWrites(Keyed(Key));
        var rotated = await ApplyCountingWrites(Keyed(OtherKey));
        var (rotatedIdp, rotatedSmtp) = StoredHashes();
        var afterRotated = await ApplyCountingWrites(Keyed(OtherKey));

        Assert.Multiple(() =>
        {
            Assert.That(unkeyedIdp, Does.StartWith(SecretHash.PublicPrefix).And.Not.StartWith(SecretHash.KeyedPrefix));
            Assert.That(Describe(added.Plan), Is.EqualTo(new[]
            {
                "Update smtp-server shop: password ∅ → ∅",
                "Update identity-provider google: config.clientSecret ∅ → ∅",
            }));
            Assert.That(added.Plan.Changes.Select(change => change.Note), Has.All.Contain("unkeyed"), "the plan says why the secret is written again");
            Assert.That(added.Writes, Is.EqualTo(new[] { "PUT /admin/realms/shop", "PUT /admin/realms/shop/identity-provider/instances/google" }));
            Assert.That(afterAdded.Writes, Is.Empty);
            Assert.That(rotated.Writes, Is.EqualTo(new[] { "PUT /admin/realms/shop", "PUT /admin/realms/shop/identity-provider/instances/google" }));
            Assert.That(rotatedIdp, Does.StartWith(SecretHash.KeyedPrefix).And.Not.EqualTo(keyedIdp));
            Assert.That(rotatedSmtp, Is.Not.EqualTo(keyedSmtp));
            Assert.That(afterRotated.Writes, Is.Empty);
            Assert.That(Simulator.Realm("shop").GetIdentityProviders().Single()["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo(Secret));
        });
    }

    [Test]
    public async Task Plan_WithoutKey_WarnsOnceWhereSecretsAreHashed()
    {
        Simulator.CreateRealm("shop");

        var unkeyed = await Provisioner.PlanAsync(Declared);
        var keyed = await Keyed(Key).PlanAsync(Declared);
        var noSecrets = await Provisioner.PlanAsync(Config("""{ "realm": "shop", "displayName": "Shop" }"""));
        var newRealm = await Provisioner.PlanAsync(Config("""{ "realm": "other", "smtpServer": { "host": "h", "password": "**********" } }"""));

        Assert.Multiple(() =>
        {
            Assert.That(unkeyed.Warnings, Is.EqualTo(new[] { RealmProvisioner.UnkeyedHashWarning }));
            Assert.That(RealmProvisioner.UnkeyedHashWarning, Does.Contain("offline").And.Contain("IdpBridge__Provisioning__SecretHashKey"));
            Assert.That(keyed.Warnings, Is.Empty);
            Assert.That(noSecrets.Warnings, Is.Empty);
            Assert.That(newRealm.Warnings, Is.Empty, "a kept secret (the mask) is not hashed");
        });
    }

    [Test]
    public async Task Apply_WithKeyAndEveryLogLevelOn_TheKeyIsNeitherLoggedNorInThePlan()
    {
        using var logs = new CapturingLoggerProvider();
        using var logged = LoggedServices(logs);
        var provisioner = new RealmProvisioner(
            logged.GetRequiredService<KeycloakAdminClient>(), Microsoft.Extensions.Options.Options.Create(new ProvisioningOptions { SecretHashKey = Key }));
        Simulator.CreateRealm("shop");
        await Provisioner.ApplyAsync(Declared, await Provisioner.PlanAsync(Declared));

        var plan = await provisioner.PlanAsync(Declared);
        var result = await provisioner.ApplyAsync(Declared, plan);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(logs.Lines, Is.Not.Empty, "the test must see the HTTP logs to mean anything");
            Assert.That(logs.Lines, Has.None.Contain(Key));
            Assert.That(logs.Lines, Has.None.Contain(Secret));
            Assert.That(JsonSerializer.Serialize(plan), Does.Not.Contain(Key).And.Not.Contain(Secret));
            Assert.That(new ProvisioningOptions { SecretHashKey = Key }.ToString(), Does.Not.Contain(Key));
        });
    }

    [Test]
    public void Validate_ShortKey_FailsWithTheSettingsPathAndNotTheKey()
    {
        var result = new ProvisioningOptionsValidator().Validate(null, new ProvisioningOptions { SecretHashKey = "too-short-9f2c" });
        var unset = new ProvisioningOptionsValidator().Validate(null, new ProvisioningOptions());

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("IdpBridge:Provisioning:SecretHashKey must be at least 32 characters"));
            Assert.That(result.FailureMessage, Does.Not.Contain("too-short-9f2c"));
            Assert.That(unset.Succeeded, Is.True, "unset keeps the public scheme");
        });
    }

    private RealmProvisioner Keyed(string key) => new(Keycloak, Microsoft.Extensions.Options.Options.Create(new ProvisioningOptions { SecretHashKey = key }));

    private async Task<(RealmPlan Plan, List<string> Writes)> ApplyCountingWrites(RealmProvisioner provisioner)
    {
        var before = AdminWrites().Count;
        var plan = await provisioner.PlanAsync(Declared);
        await provisioner.ApplyAsync(Declared, plan);
        return (plan, AdminWrites().Skip(before).ToList());
    }

    private (string Idp, string Smtp) StoredHashes() =>
        (Simulator.Realm("shop").GetIdentityProviders().Single()["config"]![RealmProvisioner.SecretHashKey]!.GetValue<string>(),
         Simulator.Realm("shop").GetSetting("smtpServer")![SmtpServerPlanner.PasswordHashKey]!.GetValue<string>());

    private static string Digest(string stored) => stored[(stored.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static string PublicDigest(string realm, string owner, string guess) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"idpbridge/{realm}/{owner}"), Encoding.UTF8.GetBytes(guess)));
}
