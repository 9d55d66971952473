namespace IdpBridge.Core.Ledger.Proof;

/// <summary>Why no proof was issued.</summary>
public enum ProofRefusal
{
    /// <summary>The record knows no such user, or the policy no such version.</summary>
    NotFound,

    /// <summary>The user declined the version, or has no acceptance of it.</summary>
    NotAccepted,

    /// <summary>The record cannot be proved: written before the hash chain, or <c>ledger verify</c> finds the realm's record altered.</summary>
    NotProvable,
}

/// <summary>A proof refused, with the reason in words (the user, version and times involved).</summary>
public sealed class ProofRefusedException(ProofRefusal refusal, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public ProofRefusal Refusal { get; } = refusal;
}
