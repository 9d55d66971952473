using IdpBridge.Cli.Tests.Realms;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Ledger;

/// <summary>
/// <c>ledger proof</c>, <c>public-key</c> and <c>verify-proof</c>: the exit codes of what cannot run and of usage errors
/// (valid and tampered proofs: <c>AcceptanceProofTests</c> and the end-to-end <c>BridgeProofTests</c>).
/// </summary>
public sealed class LedgerProofCommandTests
{
    private CliHarness harness = null!;

    [SetUp]
    public void Start() => harness = new CliHarness().UseTemporaryStore();

    [TearDown]
    public void Stop() => harness.Dispose();

    [TestCase("ledger", "proof", "--realm", "externos", "--user", "ana", "--version", "0")]
    [TestCase("ledger", "proof", "--realm", "externos", "--user", "ana", "--output", "pdf")]
    [TestCase("ledger", "proof", "--realm", "externos")]
    [TestCase("ledger", "verify-proof")]
    public async Task Command_BadUsage_Exits64(params string[] args)
    {
        var run = await harness.RunAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
    }

    [Test]
    public async Task VerifyProof_NoSuchFile_ExitsOneNamingIt()
    {
        using var key = new TempFile("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");

        var run = await harness.RunAsync("ledger", "verify-proof", "/nonexistent/proof.json", "--public-key", key.Path);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Is.EqualTo("error: No file at '/nonexistent/proof.json'.\n"));
    }

    [Test]
    public async Task VerifyProof_NoPublicKeyAndNoSigningKey_ExitsOneSayingWhatToGive()
    {
        using var proof = new TempFile("{}");

        var run = await harness.RunAsync("ledger", "verify-proof", proof.Path);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: Give the public key with --public-key FILE (PEM), or set IdpBridge:Proof:SigningKeyPath"));
    }

    [Test]
    public async Task PublicKeyAndProof_NoSigningKey_ExitOneNamingTheSetting()
    {
        var publicKey = await harness.RunAsync("ledger", "public-key");

        Assert.That(publicKey.ExitCode, Is.EqualTo(1), publicKey.ToString());
        Assert.That(publicKey.Error, Does.StartWith("error: No signing key for proofs: set IdpBridge:Proof:SigningKeyPath"));
        Assert.That(publicKey.Output, Is.Empty);
    }
}
