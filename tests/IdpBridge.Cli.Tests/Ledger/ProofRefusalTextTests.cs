using IdpBridge.Cli;
using IdpBridge.Core.Ledger.Proof;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Ledger;

/// <summary>A refused proof, as the CLI says it: Core's reason (no command in it), then the command that helps.</summary>
public sealed class ProofRefusalTextTests
{
    [TestCase(ProofNextStep.SyncRecord, "Realm 'externos''s record knows no user 'eva'. Run idpbridge ledger sync --realm externos first?")]
    [TestCase(ProofNextStep.VerifyRecord, "Realm 'externos''s record knows no user 'eva'. Run idpbridge ledger verify --realm externos.")]
    [TestCase(ProofNextStep.GiveUserId, "Realm 'externos''s record knows no user 'eva'. Give the user id (--user <id>).")]
    [TestCase(ProofNextStep.None, "Realm 'externos''s record knows no user 'eva'.")]
    public void Describe_EachNextStep_TheReasonThenTheCommand(ProofNextStep next, string expected)
    {
        var refused = new ProofRefusedException(ProofRefusal.NotFound, "externos", "Realm 'externos''s record knows no user 'eva'.", next);

        Assert.That(CliFailure.Describe(refused), Is.EqualTo(expected));
    }
}
