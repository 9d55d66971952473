using IdpBridge.Core.Ledger.Proof;

namespace IdpBridge.Cli.Ledger;

/// <summary>A refused proof as the CLI says it: Core's reason, then the command that can help.</summary>
internal static class ProofRefusalText
{
    public static string Describe(ProofRefusedException refused) => refused.NextStep switch
    {
        ProofNextStep.SyncRecord => $"{refused.Message} Run idpbridge ledger sync --realm {refused.Realm} first?",
        ProofNextStep.VerifyRecord => $"{refused.Message} Run idpbridge ledger verify --realm {refused.Realm}.",
        ProofNextStep.GiveUserId => $"{refused.Message} Give the user id (--user <id>).",
        _ => refused.Message,
    };
}
