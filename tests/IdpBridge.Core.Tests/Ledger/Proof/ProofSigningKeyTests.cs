using IdpBridge.Core.Ledger.Proof;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger.Proof;

/// <summary>The signing key setting: checked at start-up with a message naming it, never quoting the key.</summary>
[TestFixture]
public sealed class ProofSigningKeyTests
{
    private ProofTestKeys keys = null!;

    [OneTimeSetUp]
    public void CreateFolder() => keys = new ProofTestKeys();

    [OneTimeTearDown]
    public void DeleteFolder() => keys.Dispose();

    [Test]
    public void Validate_Unset_Succeeds() =>
        Assert.That(new ProofOptionsValidator().Validate(null, new ProofOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_OwnerOnlyP256Key_Succeeds() =>
        Assert.That(new ProofOptionsValidator().Validate(null, new ProofOptions { SigningKeyPath = keys.Create() }).Succeeded, Is.True);

    [Test]
    public void Validate_KeyReadableByOthers_FailsNamingTheSettingAndMode()
    {
        var path = keys.Create(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var pem = File.ReadAllText(path);

        var result = new ProofOptionsValidator().Validate(null, new ProofOptions { SigningKeyPath = path });

        Assert.That(
            result.FailureMessage,
            Is.EqualTo($"IdpBridge:Proof:SigningKeyPath: '{path}' is readable or writable by others than its owner (mode 644): run chmod 600 on it."));
        Assert.That(result.FailureMessage, Does.Not.Contain(pem.Split('\n')[1]), "never the key");
    }

    [TestCase("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAAA\n-----END PUBLIC KEY-----\n")]
    [TestCase("not a key at all")]
    public void Validate_NoP256PrivateKey_FailsNamingTheSetting(string pem)
    {
        var path = keys.Create(pem: pem);

        var result = new ProofOptionsValidator().Validate(null, new ProofOptions { SigningKeyPath = path });

        Assert.That(result.FailureMessage, Does.StartWith($"IdpBridge:Proof:SigningKeyPath: '{path}' holds no ECDSA P-256 private key in PEM"));
    }

    [Test]
    public void Validate_MissingFile_FailsNamingTheSetting() =>
        Assert.That(new ProofOptionsValidator().Validate(null, new ProofOptions { SigningKeyPath = "/nonexistent/proof-key.pem" }).FailureMessage,
            Is.EqualTo("IdpBridge:Proof:SigningKeyPath: no file at '/nonexistent/proof-key.pem'."));

    [Test]
    public void KeyId_Unset_SaysWhichSettingAndHowToMakeAKey()
    {
        using var key = new ProofSigningKey(Microsoft.Extensions.Options.Options.Create(new ProofOptions()));

        Assert.That(() => key.KeyId, Throws.TypeOf<ProofKeyException>().With.Message.Contains("IdpBridge:Proof:SigningKeyPath").And.Message.Contains("openssl genpkey"));
    }

    [Test]
    public void PublicKeyPem_ConfiguredKey_IsThePublicHalfOnly()
    {
        using var key = keys.CreateSigningKey();

        var pem = key.PublicKeyPem();

        Assert.That(pem, Does.StartWith("-----BEGIN PUBLIC KEY-----").And.Not.Contain("PRIVATE"));
        using var read = ProofKeys.ReadPublic(pem)!;
        Assert.That(ProofKeys.KeyId(read), Is.EqualTo(key.KeyId).And.Length.EqualTo(64));
    }
}
