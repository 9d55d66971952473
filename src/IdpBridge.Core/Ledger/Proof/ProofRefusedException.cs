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

/// <summary>What the caller can do about a refused proof; the CLI and the admin API each say it their own way.</summary>
public enum ProofNextStep
{
    /// <summary>Nothing to do: the record says what it says.</summary>
    None,

    /// <summary>Read Keycloak's new terms events into the record first: the user may have decided since the last sync.</summary>
    SyncRecord,

    /// <summary>Check the realm's record for tampering: a record or a version does not hold what it held when written.</summary>
    VerifyRecord,

    /// <summary>Name the user by id: the username was held by several users over time.</summary>
    GiveUserId,
}

/// <summary>
/// A proof refused: why (<see cref="Refusal"/>), what the caller can do (<see cref="NextStep"/>), and the reason in
/// words with the user, version and times involved (the message; no command to run: the caller renders that).
/// </summary>
public sealed class ProofRefusedException(ProofRefusal refusal, string realm, string message, ProofNextStep nextStep = ProofNextStep.None) : Exception(message)
{
    /// <summary>Why.</summary>
    public ProofRefusal Refusal { get; } = refusal;

    /// <summary>The realm whose record was asked.</summary>
    public string Realm { get; } = realm;

    /// <summary>What the caller can do about it.</summary>
    public ProofNextStep NextStep { get; } = nextStep;
}
